select
  "b".*,
  "j1"."amount" as "amount"
from
  "planning"."accounts_fixed" as "b"
  left join (
    select
      "account_id",
      "amount",
      "_version",
      "_updated_by",
      "_updated_at"
    from
      "writeback"."revenue_forecast"
    where
      "_scenario" = 'base'
      and not "_deleted"
  ) as "j1" on "j1"."account_id" = "b"."id"
