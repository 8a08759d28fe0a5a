-- CreateTable
CREATE TABLE "mcp_session" (
    "id" TEXT NOT NULL,
    "credential" TEXT NOT NULL,
    "record" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "last_seen_at" TIMESTAMP(3) NOT NULL,
    "instance_id" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3),

    CONSTRAINT "mcp_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mcp_credential_state" (
    "credential" TEXT NOT NULL,
    "active_business_id" TEXT NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "mcp_credential_state_pkey" PRIMARY KEY ("credential")
);

-- CreateIndex
CREATE INDEX "mcp_session_credential_idx" ON "mcp_session"("credential");

-- CreateIndex
CREATE INDEX "mcp_session_last_seen_at_idx" ON "mcp_session"("last_seen_at");
