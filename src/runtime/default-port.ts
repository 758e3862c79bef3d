/** Port `writeback serve` and `dev` listen on unless `--port` says otherwise. */
export const DEFAULT_PORT = 4580;
