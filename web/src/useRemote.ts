/**
 * Loads data for a key, aborting the previous request when the key changes or the view goes away. While a new
 * key loads, the previous data stays on screen (marked busy) so paging does not flash an empty table; the view
 * of another org never reaches this state because the whole page is rebuilt when the org changes.
 */
import { useEffect, useState } from "preact/hooks"
import { describeFailure } from "./api/ApiFailure"

export interface Remote<A> {
  readonly data: A | undefined
  readonly error: string | undefined
  readonly busy: boolean
}

export const useRemote = <A>(key: string, load: (signal: AbortSignal) => Promise<A>, refresh = 0): Remote<A> => {
  const [state, setState] = useState<Remote<A>>({ data: undefined, error: undefined, busy: true })
  useEffect(() => {
    const controller = new AbortController()
    setState((previous) => ({ ...previous, busy: true }))
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: undefined, busy: false })
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ data: undefined, error: describeFailure(error), busy: false })
      }
    )
    return () => controller.abort()
  }, [key, refresh])
  return state
}
