-- CreateTable
CREATE TABLE "mcp_client" (
    "credential" TEXT NOT NULL,
    "record" JSONB NOT NULL,
    "last_seen_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "mcp_client_pkey" PRIMARY KEY ("credential")
);

-- CreateIndex
CREATE INDEX "mcp_client_last_seen_at_idx" ON "mcp_client"("last_seen_at");
