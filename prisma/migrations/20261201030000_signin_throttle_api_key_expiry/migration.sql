-- Review of issue 10: per-address sign-in throttling (beside the per-account lock-out) and API keys that expire.

-- CreateTable: failed sign-ins per client address in a fixed window (lib/auth/login.ts).
CREATE TABLE "SignInThrottle" (
    "ip" VARCHAR(45) NOT NULL,
    "failures" INTEGER NOT NULL,
    "windowStart" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SignInThrottle_pkey" PRIMARY KEY ("ip")
);

-- AlterTable: an API key may have an end date; existing keys keep none.
ALTER TABLE "ApiKey" ADD COLUMN "expiresAt" TIMESTAMPTZ(3);
