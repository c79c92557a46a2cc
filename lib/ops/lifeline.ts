/**
 * A child of the launcher (`npm start`) ends when the launcher does, however the launcher ended (`kill -9`,
 * power button on the console): the launcher spawns it with an IPC channel, and the operating system closes
 * that channel when the launcher's process goes away. Without this, a killed launcher leaves a worker and a web
 * server running as orphans, holding the port, and the next start fails or runs two workers per machine.
 * Does nothing when the process was not started with a channel (`npm run worker` under systemd).
 */
export function exitWithParent(stop: (reason: string) => void): void {
  if (!process.send) return;
  process.channel?.unref(); // the channel alone must not keep the process alive (where Node exposes it)
  process.once('disconnect', () => stop('launcher gone'));
}
