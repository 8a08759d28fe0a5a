-- Tool policy per credential: existing keys and grants keep every tool (all).
-- AlterTable
ALTER TABLE "api_key" ADD COLUMN "tool_policy" TEXT NOT NULL DEFAULT 'all',
ADD COLUMN "tool_policy_tools" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "oauth_grant" ADD COLUMN "tool_policy" TEXT NOT NULL DEFAULT 'all',
ADD COLUMN "tool_policy_tools" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "oauth_consent" ADD COLUMN "tool_policy" TEXT NOT NULL DEFAULT 'all',
ADD COLUMN "tool_policy_tools" TEXT[] DEFAULT ARRAY[]::TEXT[];
