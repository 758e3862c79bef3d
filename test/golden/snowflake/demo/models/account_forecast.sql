select
  "B".*,
  "J1"."QUARTER" as "QUARTER",
  "J1"."AMOUNT" as "AMOUNT",
  "J1"."CONFIDENCE" as "CONFIDENCE"
from
  "CRM"."ACCOUNTS" as "B"
  left join (
    select
      "ACCOUNT_ID",
      "QUARTER",
      "AMOUNT",
      "CONFIDENCE",
      "_VERSION",
      "_UPDATED_BY",
      "_UPDATED_AT"
    from
      "WRITEBACK"."REVENUE_FORECAST"
    where
      "_SCENARIO" = 'base'
      and not "_DELETED"
  ) as "J1" on "J1"."ACCOUNT_ID" = "B"."ID"
