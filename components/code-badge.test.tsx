// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { CodeBadge } from './code-badge';
import { I18nProvider } from './i18n';

afterEach(cleanup);

/** The one badge for stored codes: the catalogue's label in the page's language, a colour per value. */
describe('CodeBadge', () => {
  it('labels a code from the catalogue in the page language, one wording per hand-off state', () => {
    render(
      <>
        <CodeBadge family="handoffStatus" code="PARKED" data-testid="status" />
        <CodeBadge family="handoffState" code="parked" data-testid="state" />
      </>,
    );
    expect(screen.getByTestId('status').textContent).toBe('Tạm dừng — cần xử lý');
    expect(screen.getByTestId('state').textContent).toBe('Tạm dừng — cần xử lý');
    cleanup();
    render(
      <I18nProvider lang="en">
        <CodeBadge family="encounterStatus" code="CHECKED_IN" data-testid="en" />
      </I18nProvider>,
    );
    expect(screen.getByTestId('en').textContent).toBe('Checked in');
  });

  it('places the label in a catalogue template and keeps what follows it', () => {
    render(
      <CodeBadge family="priority" code="ELDERLY" template="Ưu tiên: {priority}" role="status">
        <span>: lý do</span>
      </CodeBadge>,
    );
    expect(screen.getByRole('status').textContent).toBe('Ưu tiên: Người từ 75 tuổi: lý do');
  });

  it('colours by value: parked is red, delivered green', () => {
    render(
      <>
        <CodeBadge family="handoffStatus" code="PARKED" data-testid="parked" />
        <CodeBadge family="handoffStatus" code="DELIVERED" data-testid="ok" />
      </>,
    );
    expect(screen.getByTestId('parked').className).toContain('bg-red-50');
    expect(screen.getByTestId('ok').className).toContain('bg-emerald-50');
    expect(screen.getByTestId('parked').dataset.code).toBe('PARKED');
  });
});
