-- CreateTable
CREATE TABLE "usage_bucket" (
    "business_id" UUID NOT NULL,
    "credential" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "bucket_start" TIMESTAMP(3) NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "refused" INTEGER NOT NULL DEFAULT 0,
    "bad_arguments" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "duration_ms_sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "histogram" INTEGER[],
    "last_used_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "usage_bucket_pkey" PRIMARY KEY ("business_id","credential","tool","period","bucket_start")
);

-- CreateIndex
CREATE INDEX "usage_bucket_period_bucket_start_idx" ON "usage_bucket"("period", "bucket_start");

-- CreateIndex
CREATE INDEX "usage_bucket_credential_period_bucket_start_idx" ON "usage_bucket"("credential", "period", "bucket_start");

-- AddForeignKey
ALTER TABLE "usage_bucket" ADD CONSTRAINT "usage_bucket_business_id_fkey" FOREIGN KEY ("business_id") REFERENCES "business"("id") ON DELETE CASCADE ON UPDATE CASCADE;
