select
  "B".*,
  "J1"."STATUS" as "STATUS",
  "J1"."CONTACTED_ON" as "CONTACTED_ON",
  "J1"."OWNER" as "OWNER",
  "J1"."NOTES" as "NOTES"
from
  "SUCCESS"."CHURN_RISK" as "B"
  left join (
    select
      "ACCOUNT_ID",
      "STATUS",
      "CONTACTED_ON",
      "OWNER",
      "NOTES",
      "_VERSION",
      "_UPDATED_BY",
      "_UPDATED_AT"
    from
      "WRITEBACK"."OUTREACH"
    where
      "_SCENARIO" = 'base'
      and not "_DELETED"
  ) as "J1" on "J1"."ACCOUNT_ID" = "B"."ACCOUNT_ID"
