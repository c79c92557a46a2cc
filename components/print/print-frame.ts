/**
 * Prints one of our own pages (e.g. the exam slip) without leaving the current one: a hidden same-origin frame
 * loads it and calls the frame's print(). Shared by the desk and the kiosk.
 *
 * The printed page marks its content with `data-printable`; anything else in the frame (an error page, the
 * sign-in page after a lost session, a refused frame) is not printed. `data-print-roll="80mm"` on that element
 * fits the paper length to the content (thermal roll printers cut after the page, so no blank paper).
 *
 * Resolves true only when the browser's print dialog opened: the frame's `beforeprint` fired (inside print()
 * when the dialog is modal; shortly after print() returns in Chromium without a window). The caller records
 * "printed" only then.
 */
export function printPage(url: string, options: { timeoutMs?: number } = {}): Promise<boolean> {
  return new Promise((resolve) => {
    const frame = document.createElement('iframe');
    frame.setAttribute('aria-hidden', 'true');
    frame.tabIndex = -1;
    // Laid out at the roll's width, off screen, so the content's measured height is the printed height.
    Object.assign(frame.style, {
      position: 'fixed',
      left: '-10000px',
      top: '0',
      width: '80mm',
      height: '10px',
      border: '0',
    });
    let settled = false;
    const finish = (opened: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // On a task of our own: `beforeprint` fires inside the frame's print(), and a React update made from that
      // stack (the caller's `.then`) was lost with the frame, leaving the page's React unable to render again.
      setTimeout(() => resolve(opened), 0);
      // The print preview may still be reading the frame: keep it a while (or until the dialog closes).
      setTimeout(() => frame.remove(), 60_000);
    };
    const timer = setTimeout(() => finish(false), options.timeoutMs ?? 15_000);
    frame.addEventListener('load', () => {
      try {
        const win = frame.contentWindow;
        const content = win?.document.querySelector<HTMLElement>('[data-printable]'); // throws when not same-origin
        if (!win || !content) return finish(false);
        const roll = content.dataset.printRoll;
        if (roll) {
          const style = win.document.createElement('style');
          const lengthMm = Math.ceil((content.getBoundingClientRect().height * 25.4) / 96) + 4;
          style.textContent = `@page { size: ${roll} ${lengthMm}mm; margin: 0; }`;
          win.document.head.appendChild(style);
        }
        win.addEventListener('beforeprint', () => finish(true));
        win.addEventListener('afterprint', () => setTimeout(() => frame.remove(), 1_000));
        win.focus();
        win.print();
        setTimeout(() => finish(false), 3_000); // no dialog came: blocked, or no printing here
      } catch {
        finish(false);
      }
    });
    frame.src = url;
    document.body.appendChild(frame);
  });
}
