-- AlterTable
ALTER TABLE "intent" ADD COLUMN "idempotency_key" TEXT,
ADD COLUMN "request_hash" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "intent_created_by_idempotency_key_key" ON "intent"("created_by", "idempotency_key");
