// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MESSAGES } from '@/lib/i18n/messages';
import type { CheckinNotFoundResponse } from '@/lib/encounters/check-in';
import { NewPatientForm, type NewPatientChoice } from './new-patient-form';
import { notFound, renderInApp, stubServer } from './test-desk';

/** The new-patient form on its own: what it sends (onSubmit) for what the receptionist sees and types. */
const t = MESSAGES.vi;
const f = t.desk.form;
const RAW = '058158000001'; // 058 province, 1 = a woman born in the 1900s, 58 = 1958 (synthetic)

function renderForm(
  answer: CheckinNotFoundResponse,
  { routes = {} }: { routes?: Parameters<typeof stubServer>[0] } = {},
) {
  const server = stubServer(routes);
  const onSubmit = vi.fn<(choice: NewPatientChoice) => void>();
  const onCancel = vi.fn();
  renderInApp(<NewPatientForm notFound={answer} busy={false} problem={null} onSubmit={onSubmit} onCancel={onCancel} />);
  const form = screen.getByRole('form', { name: f.name });
  const field = {
    fullName: within(form).getByLabelText(f.fullName) as HTMLInputElement,
    dateOfBirth: within(form).getByRole('textbox', { name: new RegExp(`^${f.dateOfBirth}`) }) as HTMLInputElement,
    sex: within(form).getByLabelText(f.sex) as HTMLSelectElement,
    address: within(form).getByLabelText(f.address) as HTMLInputElement,
  };
  return { user: userEvent.setup(), form, field, onSubmit, onCancel, server };
}
const typedNumber = () => notFound({ identity: { kind: 'PERSONAL_ID', personalId: RAW } });

describe('the new-patient form', () => {
  it('known to the HIS: its details fill what the number does not say, and its patient code goes with the new record', async () => {
    const { user, form, field, onSubmit } = renderForm(
      notFound({
        identity: { kind: 'PERSONAL_ID', personalId: RAW },
        his: {
          status: 'found',
          patient: {
            hospitalCode: 'BN00123',
            fullName: 'Phạm Thị Hương',
            dateOfBirth: '1958-03-12',
            sex: 'F',
            address: 'Thôn Một, Xã Mẫu',
          },
        },
      }),
    );
    expect(within(form).getByTestId('his-lookup').textContent).toBe(f.his.found.replace('{code}', 'BN00123'));
    expect([field.fullName.value, field.dateOfBirth.value, field.sex.value, field.address.value]).toEqual([
      'Phạm Thị Hương',
      '12/03/1958',
      'F',
      'Thôn Một, Xã Mẫu',
    ]);
    await waitFor(() =>
      expect(document.activeElement).toBe(within(form).getByRole('button', { name: new RegExp(f.create) })),
    );
    await user.keyboard('{Enter}');
    expect(onSubmit).toHaveBeenCalledWith({
      newPatient: {
        fullName: 'Phạm Thị Hương',
        dateOfBirth: '1958-03-12',
        sex: 'F',
        address: 'Thôn Một, Xã Mẫu',
        hospitalCode: 'BN00123',
      },
    });
  });

  it('the HIS unsure or not answering is said, and the form is the usual empty one', () => {
    const { form } = renderForm(
      notFound({ identity: { kind: 'PERSONAL_ID', personalId: RAW }, his: { status: 'ambiguous' } }),
    );
    expect(within(form).getByTestId('his-lookup').textContent).toBe(f.his.ambiguous);
  });

  it('typed details are trimmed; a birth year alone is accepted; an empty address is left out', async () => {
    const { user, field, onSubmit } = renderForm(typedNumber());
    await user.type(field.fullName, '  Võ Thị Năm  ');
    await user.type(field.dateOfBirth, '1958');
    await user.selectOptions(field.sex, 'F');
    await user.type(field.address, '   {Enter}');
    expect(onSubmit).toHaveBeenCalledWith({ newPatient: { fullName: 'Võ Thị Năm', dateOfBirth: '1958', sex: 'F' } });
  });

  it('a birth date that is no date is refused next to the field, in Vietnamese, and nothing is sent', async () => {
    const { user, form, field, onSubmit } = renderForm(typedNumber());
    await user.type(field.fullName, 'Võ Thị Năm');
    await user.type(field.dateOfBirth, '30/02/1958');
    await user.selectOptions(field.sex, 'F');
    await user.click(within(form).getByRole('button', { name: new RegExp(f.create) }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(field.dateOfBirth.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(field.dateOfBirth);
    expect(within(form).getByText(t.dateInput.notReal)).toBeTruthy();
  });

  it('details that contradict the personal ID: a warning beside the field, sent only once checked against the document', async () => {
    const { user, form, field, onSubmit } = renderForm(typedNumber());
    await user.type(field.fullName, 'Võ Văn Sáu');
    await user.type(field.dateOfBirth, '12/03/1990');
    await user.selectOptions(field.sex, 'M');
    expect(within(form).getByText(/Năm sinh không khớp với số định danh \(số này cho năm sinh 1958\)/)).toBeTruthy();
    expect(within(form).getByText(/Giới tính không khớp với số định danh \(số này là của nữ\)/)).toBeTruthy();
    await user.click(within(form).getByRole('button', { name: new RegExp(f.create) }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(within(form).getByRole('alert').textContent).toBe(f.mustConfirm);
    expect(document.activeElement).toBe(field.dateOfBirth);

    await user.click(within(form).getByRole('checkbox', { name: f.confirmChecked }));
    await user.click(within(form).getByRole('button', { name: new RegExp(f.create) }));
    expect(onSubmit).toHaveBeenCalledWith({
      newPatient: { fullName: 'Võ Văn Sáu', dateOfBirth: '1990-03-12', sex: 'M' },
    });
  });

  it('a duplicate revealed on request shows its birth date and address; refusing the reveal says why', async () => {
    const candidate = {
      token: 'tok-1',
      fullName: 'Nguyễn Thị T***',
      birthYear: 1958,
      sex: 'F' as const,
      identifiers: [{ system: 'HOSPITAL_CODE' as const, masked: '****0123' }],
    };
    const { user, form, server } = renderForm(
      notFound({ candidates: [candidate, { ...candidate, token: 'tok-2', fullName: 'Nguyễn Thị H***' }] }),
      {
        routes: {
          'POST /api/v1/checkins/candidates/reveal': ({ body }) =>
            (body as { token: string }).token === 'tok-1'
              ? {
                  status: 200,
                  body: {
                    patient: {
                      id: 'p1',
                      fullName: 'Nguyễn Thị Thu',
                      birthDate: '1958-03-12',
                      sex: 'F',
                      address: 'Thôn Cũ, Xã Mẫu',
                      identifiers: [],
                    },
                  },
                }
              : {
                  status: 403,
                  body: { error: { code: 'FORBIDDEN', message: 'Không được xem hồ sơ của cơ sở khác.' } },
                },
        },
      },
    );
    const duplicates = within(form).getByRole('group', { name: f.candidates });
    expect(within(duplicates).getAllByText(`${t.codes.identifier.HOSPITAL_CODE} ****0123`)).toHaveLength(2);
    const [first, second] = within(duplicates).getAllByRole('button', { name: f.reveal });
    await user.click(first!);
    expect(await within(duplicates).findByText('Thôn Cũ, Xã Mẫu')).toBeTruthy();
    expect(within(duplicates).getByText(/12\/03\/1958/)).toBeTruthy();
    expect(server.posted('/api/v1/checkins/candidates/reveal')).toEqual([{ token: 'tok-1' }]);
    await user.click(second!);
    expect((await within(duplicates).findByRole('alert')).textContent).toBe('Không được xem hồ sơ của cơ sở khác.');
  });

  it('Hủy cancels without sending', async () => {
    const { user, form, onSubmit, onCancel } = renderForm(notFound());
    await user.click(within(form).getByRole('button', { name: new RegExp(f.cancel) }));
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
