select
  "b"."id",
  "b"."name",
  "b"."region",
  "b"."segment",
  "b"."owner",
  "b"."industry",
  case
    when strpos("o"."_set_columns", '|category|') > 0 then "o"."category"
    else "b"."category"
  end as "category",
  case
    when strpos("o"."_set_columns", '|category|') > 0 then 'category'
  end as "_overridden"
from
  "crm"."accounts" as "b"
  left join (
    select
      "account_id",
      "category",
      "_version",
      "_updated_by",
      "_updated_at",
      "_set_columns"
    from
      "writeback"."account_category"
    where
      "_scenario" = 'base'
      and not "_deleted"
  ) as "o" on "o"."account_id" = "b"."id"
