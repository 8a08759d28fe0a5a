-- AlterTable
ALTER TABLE "oauth_record" ADD COLUMN "registered_by" TEXT;

-- CreateIndex
CREATE INDEX "oauth_record_registered_by_expires_at_idx" ON "oauth_record"("registered_by", "expires_at");
