-- Partial refunds: an order records how much of it was refunded.
ALTER TYPE "OrderStatus" ADD VALUE 'partially_refunded' BEFORE 'refunded';

ALTER TABLE "order" ADD COLUMN "refunded_cents" INTEGER NOT NULL DEFAULT 0;
UPDATE "order" SET "refunded_cents" = "total_cents" WHERE "status" = 'refunded';
ALTER TABLE "order" ADD CONSTRAINT "order_refunded_cents_check" CHECK ("refunded_cents" >= 0 AND "refunded_cents" <= "total_cents");

-- Per-business time zone (what a date means) and backorder setting.
ALTER TABLE "business" ADD COLUMN "time_zone" TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE "business" ADD COLUMN "allow_backorders" BOOLEAN NOT NULL DEFAULT false;
