-- No default password on a network (issue 10): who chose each account's password. DEMO = the demo password
-- published in the README (the server then serves this machine only); TEMPORARY = generated for the user (first
-- administrator, reset by an administrator, `user create`), changed at the next sign-in; OWN = chosen by the user.

-- CreateEnum
CREATE TYPE "PasswordState" AS ENUM ('DEMO', 'TEMPORARY', 'OWN');

-- AlterTable
ALTER TABLE "User" ADD COLUMN "passwordState" "PasswordState" NOT NULL DEFAULT 'OWN';

-- Demo accounts created before this column still have the published password: mark them (a hospital that already
-- changed one resets it once more: npm run cli -- user reset-password <name>).
UPDATE "User" u SET "passwordState" = 'DEMO'
  FROM "Facility" f
  WHERE f.id = u."facilityId" AND f.code = '58999' AND u.username IN ('letan', 'hotro', 'quanly', 'quantri');
