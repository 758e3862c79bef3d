select
  "b".*,
  "j1"."quarter" as "quarter",
  "j1"."amount" as "amount",
  "j1"."confidence" as "confidence"
from
  "crm"."accounts" as "b"
  left join (
    select
      "account_id",
      "quarter",
      "amount",
      "confidence",
      "_version",
      "_updated_by",
      "_updated_at"
    from
      "writeback"."revenue_forecast"
    where
      "_scenario" = 'base'
      and not "_deleted"
  ) as "j1" on "j1"."account_id" = "b"."id"
