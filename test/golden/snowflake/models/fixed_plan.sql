select
  "B".*,
  "J1"."AMOUNT" as "AMOUNT"
from
  "PLANNING"."ACCOUNTS_FIXED" as "B"
  left join (
    select
      "ACCOUNT_ID",
      "AMOUNT",
      "_VERSION",
      "_UPDATED_BY",
      "_UPDATED_AT"
    from
      "WRITEBACK"."REVENUE_FORECAST"
    where
      "_SCENARIO" = 'base'
      and not "_DELETED"
  ) as "J1" on "J1"."ACCOUNT_ID" = "B"."ID"
