/**
 * One upload's way through the pipeline, stage by stage: done, failed, skipped or not reached yet.
 */
import type { UploadTrack } from "../api/TrackClient"
import { formatDateTime } from "../format/Dates"
import { detailLines, type StageState, stageStates, stageStateWords, stages, stageWords } from "../format/UploadWords"

const marks: Readonly<Record<StageState, string>> = { done: "✓", failed: "✕", skipped: "–", waiting: "○" }

export const UploadStages = ({ upload }: { readonly upload: UploadTrack }) => {
  const states = stageStates(upload)
  return (
    <ol class="stages" aria-label={`Stages of upload ${upload.request_id}`}>
      {stages.map((stage) => {
        const state = states.get(stage) ?? "waiting"
        const event = [...upload.events].reverse().find((e) => e.stage === stage)
        const lines = event === undefined ? [] : detailLines(event)
        return (
          <li key={stage} class={`stage stage-${state}`} data-stage={stage} data-state={state}>
            <span class="stage-mark" aria-hidden="true">
              {marks[state]}
            </span>{" "}
            <span class="stage-name">{stageWords[stage]}</span>
            <span class="stage-state">
              {stageStateWords[state]}
              {event === undefined ? "" : `, ${formatDateTime(event.at)}`}
            </span>
            {lines.length > 0 && (
              <details class="stage-detail">
                <summary>Details</summary>
                <ul>
                  {lines.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              </details>
            )}
          </li>
        )
      })}
    </ol>
  )
}
