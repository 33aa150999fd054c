-- Requests to recalculate many sessions at once (POST /api/v1/recalculations), so a caller can wait
-- for all of them with one GET (issue 16).

-- CreateTable
CREATE TABLE "recalculation_request" (
    "id" TEXT NOT NULL,
    "academy_id" TEXT NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "requested_by" TEXT NOT NULL,
    "session_ids" TEXT[],

    CONSTRAINT "recalculation_request_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "recalculation_request_academy_id_requested_at_idx" ON "recalculation_request"("academy_id", "requested_at");

-- AddForeignKey
ALTER TABLE "recalculation_request" ADD CONSTRAINT "recalculation_request_academy_id_fkey" FOREIGN KEY ("academy_id") REFERENCES "academy"("id") ON DELETE CASCADE ON UPDATE CASCADE;


