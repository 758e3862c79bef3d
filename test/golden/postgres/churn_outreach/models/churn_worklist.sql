select
  "b".*,
  "j1"."status" as "status",
  "j1"."contacted_on" as "contacted_on",
  "j1"."owner" as "owner",
  "j1"."notes" as "notes"
from
  "success"."churn_risk" as "b"
  left join (
    select
      "account_id",
      "status",
      "contacted_on",
      "owner",
      "notes",
      "_version",
      "_updated_by",
      "_updated_at"
    from
      "writeback"."outreach"
    where
      "_scenario" = 'base'
      and not "_deleted"
  ) as "j1" on "j1"."account_id" = "b"."account_id"
