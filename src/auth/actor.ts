/** Who acts. `role` absent = administrator (CLI, warehouse credentials): every permission, no row filter. */
export interface Actor {
  /** Recorded as `_user`; set by the server/CLI, never taken from a row payload. */
  user: string;
  /** A role declared in project.yml; absent = administrator. */
  role?: string;
  /** User attributes referenced by row filters (`user.region` → `attributes.region`). */
  attributes?: Record<string, string>;
}
