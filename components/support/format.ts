/** 'YYYY-MM-DD' → dd/MM/yyyy; a bare year stays as it is. Shared by server and client components. */
export function birthLabel(birthDate: string): string {
  return birthDate.length === 10 ? `${birthDate.slice(8, 10)}/${birthDate.slice(5, 7)}/${birthDate.slice(0, 4)}` : birthDate;
}
