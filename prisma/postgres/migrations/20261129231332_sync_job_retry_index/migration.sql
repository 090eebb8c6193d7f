-- CreateIndex
CREATE INDEX "SyncJob_attempts_runAfter_idx" ON "SyncJob"("attempts", "runAfter");
