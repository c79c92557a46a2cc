import { describe, expect, it } from 'vitest';
import { BHYT_OLD_SAMPLE } from '../identity/test-fixtures';
import { ManualClock } from './clock';
import { WedgeAssembler, type KeyDecision, type KeyTarget, type WedgeEvent } from './wedge';

/** A fake scan box (an <input> reduced to its value) plus the assembler wired as the component wires it. */
function setup(options: Partial<ConstructorParameters<typeof WedgeAssembler>[0]> = {}) {
  const clock = new ManualClock();
  const events: WedgeEvent[] = [];
  const box = { value: '' };
  const assembler = new WedgeAssembler({ clock, readBox: () => box.value, onEvent: (e) => events.push(e), ...options });
  /** Presses one key; in the scan box an unclaimed printable key is inserted like a browser would. */
  const press = (key: string, target: KeyTarget, extra: { ctrlKey?: boolean } = {}): KeyDecision => {
    const decision = assembler.handleKeyDown({ key, ...extra }, target);
    if (target === 'scanbox' && decision === 'pass' && Array.from(key).length === 1) box.value += key;
    return decision;
  };
  const type = (text: string, gapMs: number, target: KeyTarget): KeyDecision[] =>
    Array.from(text).map((ch, i) => {
      if (i > 0) clock.advance(gapMs);
      return press(ch, target);
    });
  const submits = () => events.filter((e) => e.type === 'submit');
  return { clock, events, box, assembler, press, type, submits };
}

const PAYLOAD = BHYT_OLD_SAMPLE; // ASCII only (hex-encoded name), as a keyboard-wedge scanner can type it

describe('WedgeAssembler, focus elsewhere on the page', () => {
  it('claims every key of a 5 ms burst ending in Enter and submits it once as wedge', () => {
    const s = setup();
    const decisions = s.type(PAYLOAD, 5, 'free');
    s.clock.advance(5);
    decisions.push(s.press('Enter', 'free'));
    expect(decisions.every((d) => d === 'claim')).toBe(true);
    expect(s.events).toEqual([{ type: 'submit', raw: PAYLOAD, source: 'wedge', from: 'free', duplicate: false }]);
    s.clock.advance(1000);
    expect(s.events).toHaveLength(1); // no late quiet-gap submit
  });

  it('treats Tab, CR and LF as terminators', () => {
    for (const terminator of ['Tab', '\r', '\n']) {
      const s = setup();
      s.type('079188004321', 5, 'free');
      s.clock.advance(5);
      expect(s.press(terminator, 'free')).toBe('claim');
      expect(s.submits()).toEqual([
        { type: 'submit', raw: '079188004321', source: 'wedge', from: 'free', duplicate: false },
      ]);
    }
  });

  it('drops the same burst seen again within 2 s (double beep) but not after', () => {
    const s = setup();
    const scan = () => {
      s.type(PAYLOAD, 5, 'free');
      s.clock.advance(5);
      s.press('Enter', 'free');
    };
    scan();
    s.clock.advance(300);
    scan();
    expect(s.submits().map((e) => e.type === 'submit' && e.duplicate)).toEqual([false, true]);
    s.clock.advance(2500);
    scan();
    expect(s.submits().map((e) => e.type === 'submit' && e.duplicate)).toEqual([false, true, false]);
  });

  it('submits a fast burst without a terminator after the quiet gap, exactly once', () => {
    const s = setup();
    s.type('079188004321', 6, 'free');
    s.clock.advance(499);
    expect(s.events).toEqual([]);
    s.clock.advance(1);
    expect(s.events).toEqual([
      { type: 'submit', raw: '079188004321', source: 'wedge', from: 'free', duplicate: false },
    ]);
    s.clock.advance(5000);
    expect(s.events).toHaveLength(1);
  });

  it('does not submit a short unterminated burst; hands it over as typed text instead', () => {
    const s = setup();
    s.type('1234', 5, 'free');
    s.clock.advance(600);
    expect(s.events).toEqual([{ type: 'human-text', text: '1234', terminated: false }]);
  });

  it('hands slow keys over to the scan box as human text, never as a payload', () => {
    const s = setup();
    const decisions = s.type('0791', 150, 'free');
    expect(decisions.every((d) => d === 'claim')).toBe(true); // claimed so no shortcut fires…
    s.clock.advance(500);
    expect(s.submits()).toEqual([]);
    expect(s.events.map((e) => (e.type === 'human-text' ? e.text : '')).join('')).toBe('0791'); // …and none is lost
  });

  it('tolerates a scanner hiccup but not a human-speed average', () => {
    const s = setup();
    // 12 keys, one 70 ms pause: still a scanner.
    const times = [0, 5, 5, 5, 70, 5, 5, 5, 5, 5, 5, 5];
    for (const [i, ch] of Array.from('079188004321').entries()) {
      s.clock.advance(times[i]!);
      s.press(ch, 'free');
    }
    s.clock.advance(5);
    s.press('Enter', 'free');
    expect(s.submits()).toHaveLength(1);

    // A 150 ms stall (busy main thread) in the middle of an established burst: still one scan.
    const st = setup();
    st.type('0791880', 5, 'free');
    st.clock.advance(150);
    st.type('04321', 5, 'free');
    st.clock.advance(5);
    st.press('Enter', 'free');
    expect(st.events).toEqual([
      { type: 'submit', raw: '079188004321', source: 'wedge', from: 'free', duplicate: false },
    ]);

    const h = setup();
    h.type('079188004321', 60, 'free'); // every gap under 80 ms, but averaging 60 ms: a (very fast) person
    h.clock.advance(5);
    h.press('Enter', 'free');
    expect(h.submits()).toEqual([]);
  });

  it('lets Enter, Tab and Space on a button pass when nothing is held, and leaves modifier shortcuts alone', () => {
    const s = setup();
    expect(s.press('Enter', 'free')).toBe('pass');
    expect(s.press('Tab', 'free')).toBe('pass');
    expect(s.press('Escape', 'free')).toBe('pass');
    expect(s.press('k', 'free', { ctrlKey: true })).toBe('pass');
    expect(s.events).toEqual([]);
  });

  it('a Space with nothing held presses the focused button or ticks the box; inside a burst it is part of the payload', () => {
    const s = setup();
    expect(s.press(' ', 'free')).toBe('pass');
    expect(s.events).toEqual([]);
    const payload = 'HS4580123456789 Nguyen';
    expect(s.type(payload, 5, 'free').every((d) => d === 'claim')).toBe(true);
    s.clock.advance(5);
    s.press('Enter', 'free');
    expect(s.submits()).toEqual([{ type: 'submit', raw: payload, source: 'wedge', from: 'free', duplicate: false }]);
  });

  it('auto-repeat (a key held down) is a person', () => {
    const s = setup();
    const decisions = Array.from({ length: 10 }, () => {
      s.clock.advance(30);
      return s.assembler.handleKeyDown({ key: 'a', repeat: true }, 'free');
    });
    expect(decisions.every((d) => d === 'pass')).toBe(true);
    s.clock.advance(1000);
    expect(s.submits()).toEqual([]);
  });
});

describe('WedgeAssembler on a busy page', () => {
  it('keys handled late (the page was busy) are timed by when they were pressed: the scan stays one burst', () => {
    const s = setup();
    const keys = Array.from('079188004321');
    keys.forEach((key, i) => {
      if (i === 2) s.clock.advance(300); // the page stalls while the scanner types on
      expect(s.assembler.handleKeyDown({ key, timeStamp: i * 5 }, 'free')).toBe('claim');
    });
    expect(s.assembler.handleKeyDown({ key: 'Enter', timeStamp: keys.length * 5 }, 'free')).toBe('claim');
    expect(s.submits()).toEqual([
      { type: 'submit', raw: '079188004321', source: 'wedge', from: 'free', duplicate: false },
    ]);
  });
});

describe('WedgeAssembler, focus in another text field (a form being filled)', () => {
  it("a person's typing and Enter stay the field's", () => {
    const runs: string[] = [];
    const s = setup({ onRunStart: (t) => runs.push(t) });
    const decisions = s.type('Nguyễn Văn A', 150, 'field');
    s.clock.advance(150);
    decisions.push(s.press('Enter', 'field'));
    expect(decisions.every((d) => d === 'pass')).toBe(true);
    s.clock.advance(1000);
    expect(s.events).toEqual([]);
    expect(runs.every((t) => t === 'field')).toBe(true);
  });

  it('a scanner burst typed into the field is a payload from the field; its Enter does not reach the form', () => {
    const runs: string[] = [];
    const s = setup({ onRunStart: (t) => runs.push(t) });
    s.type('Ng', 200, 'field'); // the receptionist had begun the name
    s.clock.advance(400);
    runs.length = 0;
    const decisions = s.type(PAYLOAD, 5, 'field');
    s.clock.advance(5);
    const enter = s.press('Enter', 'field');
    expect(decisions.every((d) => d === 'pass')).toBe(true);
    expect(enter).toBe('claim');
    expect(runs).toEqual(['field']); // one run: the component remembered the field once, before the burst
    expect(s.submits()).toEqual([{ type: 'submit', raw: PAYLOAD, source: 'wedge', from: 'field', duplicate: false }]);
  });

  it('an input method rewriting a word (Backspace, then text at machine speed) is a person, not a scan', () => {
    const s = setup();
    s.type('Nguyen', 150, 'field');
    s.clock.advance(150);
    s.press('Backspace', 'field'); // Unikey: erase the word…
    s.clock.advance(2);
    s.type('Nguyễn Văn Thắng', 2, 'field'); // …and type it again, composed (or a typed shortcut, expanded)
    s.clock.advance(5);
    expect(s.press('Enter', 'field')).toBe('pass');
    s.clock.advance(1000);
    expect(s.submits()).toEqual([]);
  });

  it('an unterminated burst in a field is submitted after the quiet gap', () => {
    const s = setup();
    s.type('079188004321', 5, 'field');
    s.clock.advance(499);
    expect(s.submits()).toEqual([]);
    s.clock.advance(1);
    expect(s.submits()).toEqual([
      { type: 'submit', raw: '079188004321', source: 'wedge', from: 'field', duplicate: false },
    ]);
  });
});

describe('WedgeAssembler, focus in the scan box', () => {
  it('a burst into the box + Enter is a wedge payload; the characters reach the box', () => {
    const s = setup();
    const decisions = s.type(PAYLOAD, 5, 'scanbox');
    expect(decisions.every((d) => d === 'pass')).toBe(true);
    expect(s.box.value).toBe(PAYLOAD);
    s.clock.advance(5);
    expect(s.press('Enter', 'scanbox')).toBe('claim');
    expect(s.events).toEqual([{ type: 'submit', raw: PAYLOAD, source: 'wedge', from: 'scanbox', duplicate: false }]);
  });

  it('slow typing + Enter is typed', () => {
    const s = setup();
    s.type('079188004321', 180, 'scanbox');
    s.clock.advance(400);
    expect(s.events).toEqual([]); // a pause is not a submit
    expect(s.press('Enter', 'scanbox')).toBe('claim');
    expect(s.events).toEqual([
      { type: 'submit', raw: '079188004321', source: 'typed', from: 'scanbox', duplicate: false },
    ]);
  });

  it('a person pressing Tab in the box moves on; a scanner Tab submits', () => {
    const s = setup();
    s.type('0791880', 150, 'scanbox');
    expect(s.press('Tab', 'scanbox')).toBe('pass');
    expect(s.events).toEqual([]);

    const w = setup();
    w.type('079188004321', 5, 'scanbox');
    w.clock.advance(5);
    expect(w.press('Tab', 'scanbox')).toBe('claim');
    expect(w.submits()).toHaveLength(1);
  });

  it('half typed by hand, then completed: typed, not wedge', () => {
    const s = setup();
    s.type('0791', 150, 'scanbox');
    s.clock.advance(150);
    s.type('88004321', 5, 'scanbox');
    s.clock.advance(5);
    s.press('Enter', 'scanbox');
    expect(s.submits()).toEqual([
      { type: 'submit', raw: '079188004321', source: 'typed', from: 'scanbox', duplicate: false },
    ]);
  });

  it('submits an unterminated burst in the box after the quiet gap', () => {
    const s = setup();
    s.type('079188004321', 5, 'scanbox');
    s.clock.advance(300); // a busy PC's stall mid-burst: not yet
    expect(s.events).toEqual([]);
    s.clock.advance(250);
    expect(s.events).toEqual([
      { type: 'submit', raw: '079188004321', source: 'wedge', from: 'scanbox', duplicate: false },
    ]);
  });

  it('Enter in an empty box does nothing', () => {
    const s = setup();
    expect(s.press('Enter', 'scanbox')).toBe('claim');
    expect(s.press('Tab', 'scanbox')).toBe('pass');
    expect(s.events).toEqual([]);
  });

  it('submitTyped (the box button) follows the duplicate rule too', () => {
    const s = setup();
    s.assembler.submitTyped('079188004321');
    s.assembler.submitTyped('079188004321');
    s.assembler.submitTyped('   ');
    expect(s.submits().map((e) => e.type === 'submit' && [e.source, e.duplicate])).toEqual([
      ['typed', false],
      ['typed', true],
    ]);
  });
});
