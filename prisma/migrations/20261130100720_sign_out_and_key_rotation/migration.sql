-- AlterTable
ALTER TABLE "user" ADD COLUMN     "token_generation" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "api_key" ADD COLUMN     "replaced_by_id" UUID;
