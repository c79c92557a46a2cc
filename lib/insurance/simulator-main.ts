/**
 * Standalone BHXH gateway simulator for development (`npm run bhxh-sim`): 127.0.0.1:8088 with the demo cards.
 * Point the app at it with BHXH_GATEWAY_URL=http://127.0.0.1:8088 BHXH_GATEWAY_USER=58999_BV
 * BHXH_GATEWAY_PASSWORD=Demo@12345. Faults for manual testing: BHXH_SIM_DELAY_MS, BHXH_SIM_HTTP500=1,
 * BHXH_SIM_DROP=1, BHXH_SIM_REJECT_LOGIN=1, BHXH_SIM_TOKEN_TTL_S.
 */
import { startGatewaySimulator, SIM_DEFAULT_ACCOUNT } from './simulator';
import { DEMO_CARDS, DEMO_PEOPLE } from './demo-cards';

const env = process.env;
const sim = await startGatewaySimulator({
  host: env.BHXH_SIM_HOST ?? '127.0.0.1',
  port: Number(env.BHXH_SIM_PORT ?? 8088),
  account: {
    username: env.BHXH_SIM_USER ?? SIM_DEFAULT_ACCOUNT.username,
    password: env.BHXH_SIM_PASSWORD ?? SIM_DEFAULT_ACCOUNT.password,
  },
  cards: DEMO_CARDS,
  faults: {
    delayMs: Number(env.BHXH_SIM_DELAY_MS ?? 0) || undefined,
    http500: env.BHXH_SIM_HTTP500 === '1',
    dropConnection: env.BHXH_SIM_DROP === '1',
    rejectLogin: env.BHXH_SIM_REJECT_LOGIN === '1',
    tokenTtlSeconds: Number(env.BHXH_SIM_TOKEN_TTL_S ?? 3600),
  },
});

console.log(`BHXH gateway simulator on ${sim.url} (account ${env.BHXH_SIM_USER ?? SIM_DEFAULT_ACCOUNT.username})`);
console.log('Synthetic cards (card code / BHXH no. / personal ID → result):');
for (const p of DEMO_PEOPLE)
  console.log(
    `  ${p.cardCode} / ${p.bhxhNumber} / ${p.personalId} → ${p.resultCode}  (${p.fullName}, ${p.dateOfBirth})`,
  );

const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
