/** The slice of the Web Serial API we use (TypeScript's DOM library has no types for it). */
export type SerialPortLike = {
  open(options: {
    baudRate: number;
    dataBits?: number;
    stopBits?: number;
    parity?: 'none' | 'even' | 'odd';
    bufferSize?: number;
  }): Promise<void>;
  close(): Promise<void>;
  readonly readable: ReadableStream<Uint8Array> | null;
};

export type SerialLike = {
  requestPort(options?: object): Promise<SerialPortLike>;
  addEventListener(type: 'disconnect', listener: (event: Event) => void): void;
  removeEventListener(type: 'disconnect', listener: (event: Event) => void): void;
};

/** navigator.serial, or null where the browser has none (Firefox, Safari, mobile, plain http on a LAN IP). */
export function webSerial(): SerialLike | null {
  if (typeof navigator === 'undefined' || !('serial' in navigator)) return null;
  return (navigator as unknown as { serial: SerialLike }).serial ?? null;
}

export const BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;
export const DEFAULT_BAUD_RATE = 9600; // what the field's USB-COM QR scanners ship with (spec §1.3)
const BAUD_KEY = 'tiepdon.scan.serialBaudRate';

export function loadBaudRate(): number {
  try {
    const saved = Number(window.localStorage.getItem(BAUD_KEY));
    return (BAUD_RATES as readonly number[]).includes(saved) ? saved : DEFAULT_BAUD_RATE;
  } catch {
    return DEFAULT_BAUD_RATE;
  }
}

export function saveBaudRate(rate: number): void {
  try {
    window.localStorage.setItem(BAUD_KEY, String(rate));
  } catch {
    // Private mode / storage disabled: the choice lasts for this page only.
  }
}
