/**
 * The org's recent uploads with their stage-by-stage status, from the ingress track endpoint. While an upload
 * is in progress the list refreshes itself every few seconds.
 */
import { useEffect, useState } from "preact/hooks"
import { recentUploads, type UploadTrack } from "../api/TrackClient"
import { ErrorNotice } from "../components/ErrorNotice"
import { formatDateTime } from "../format/Dates"
import { errorSentence, stageWords, statusWords } from "../format/UploadWords"
import { defaultList, formatRoute } from "../route/Route"
import { useRemote } from "../useRemote"
import { UploadStages } from "./UploadStages"

const LIMIT = 20
const REFRESH_MS = 5000

const UploadCard = ({ upload }: { readonly upload: UploadTrack }) => {
  const error = errorSentence(upload)
  return (
    <li class="upload card" data-request-id={upload.request_id}>
      <div class="upload-head">
        <h2>
          <span class="muted">Upload</span> <code>{upload.request_id}</code>
        </h2>
        <span class={`status status-${upload.status}`}>{statusWords[upload.status]}</span>
      </div>
      <dl class="facts">
        <div>
          <dt>Received</dt>
          <dd>{formatDateTime(upload.created_at)}</dd>
        </div>
        <div>
          <dt>Last change</dt>
          <dd>{formatDateTime(upload.updated_at)}</dd>
        </div>
        <div>
          <dt>Furthest stage</dt>
          <dd>{stageWords[upload.stage]}</dd>
        </div>
        <div>
          <dt>Cluster</dt>
          <dd>
            {upload.cluster_uuid === null ? (
              <span class="muted">not known yet</span>
            ) : (
              <a
                href={formatRoute({
                  page: "recommendations",
                  list: { ...defaultList, filters: { cluster: upload.cluster_uuid } }
                })}
              >
                {upload.cluster_uuid}
              </a>
            )}
          </dd>
        </div>
      </dl>
      {error !== undefined && (
        <p class="notice notice-error upload-error">
          <strong>What went wrong:</strong> {error}
        </p>
      )}
      <UploadStages upload={upload} />
    </li>
  )
}

export const UploadsPage = ({ orgId }: { readonly orgId: string }) => {
  const [refresh, setRefresh] = useState(0)
  const remote = useRemote("uploads", (signal) => recentUploads(LIMIT, orgId, signal), refresh)
  const inProgress = remote.data?.some((upload) => upload.status === "in_progress") ?? false
  useEffect(() => {
    if (!inProgress || remote.busy) return
    const timer = window.setTimeout(() => setRefresh((n) => n + 1), REFRESH_MS)
    return () => window.clearTimeout(timer)
  }, [inProgress, remote.busy])

  return (
    <section aria-labelledby="uploads-title">
      <div class="title-row">
        <h1 id="uploads-title">Recent uploads</h1>
        <button type="button" onClick={() => setRefresh((n) => n + 1)} disabled={remote.busy}>
          Refresh
        </button>
      </div>
      <p class="lede">
        The last {LIMIT} cost-management uploads of org {orgId}, newest first, and how far each got.
        {inProgress ? " Uploads in progress refresh by themselves." : ""}
      </p>
      {remote.error !== undefined ? (
        <ErrorNotice title="Uploads could not be loaded." message={remote.error} />
      ) : remote.data === undefined ? (
        <p class="loading" role="status">
          Loading uploads…
        </p>
      ) : remote.data.length === 0 ? (
        <p class="empty">
          No uploads yet for org {orgId}. Send one with <code>ros-ocp upload &lt;tarball&gt;</code>.
        </p>
      ) : (
        <ul class="uploads">
          {remote.data.map((upload) => (
            <UploadCard key={upload.request_id} upload={upload} />
          ))}
        </ul>
      )}
    </section>
  )
}
