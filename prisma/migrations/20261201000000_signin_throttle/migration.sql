-- Failed sign-ins per client address and per account (lib/auth/signin-throttle.ts).

-- CreateTable
CREATE TABLE "signin_throttle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "window_started_at" BIGINT NOT NULL,
    "locked_until" BIGINT NOT NULL,
    "lockouts" INTEGER NOT NULL,
    "expires_at" BIGINT NOT NULL,

    CONSTRAINT "signin_throttle_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "signin_throttle_expires_at_idx" ON "signin_throttle"("expires_at");
