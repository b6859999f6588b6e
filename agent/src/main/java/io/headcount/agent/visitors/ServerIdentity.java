package io.headcount.agent.visitors;

/**
 * Which Redis process answers this instance, by its {@code run_id} (new at every start of a
 * server): read on each new connection, so that a failover to a replica or a restart is noticed
 * even when the day's marker survived. Replication is asynchronous, so the new process may lack
 * the last sightings the old one took; the tracker then gives back what it knows. Pure; worker
 * thread only.
 */
final class ServerIdentity {
    private String runId;

    /**
     * @param runId the {@code run_id} of the server now answering, or null when unknown (not
     *              asked, or no reply): then nothing is concluded
     * @return whether another server process answers than at the last known reading
     */
    boolean changedTo(String runId) {
        if (runId == null) {
            return false;
        }
        boolean changed = this.runId != null && !this.runId.equals(runId);
        this.runId = runId;
        return changed;
    }

    /** The {@code run_id} in the reply of {@code INFO server}, or null. */
    static String runIdOf(String info) {
        if (info == null) {
            return null;
        }
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("run_id:")) {
                return line.substring("run_id:".length()).trim();
            }
        }
        return null;
    }
}
