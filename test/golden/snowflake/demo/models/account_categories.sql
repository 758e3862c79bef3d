select
  "B".* replace(
    case
      when contains("O"."_SET_COLUMNS", '|category|') then "O"."CATEGORY"
      else "B"."CATEGORY"
    end as "CATEGORY"
  ),
  case
    when contains("O"."_SET_COLUMNS", '|category|') then 'category'
  end as "_OVERRIDDEN"
from
  "CRM"."ACCOUNTS" as "B"
  left join (
    select
      "ACCOUNT_ID",
      "CATEGORY",
      "_VERSION",
      "_UPDATED_BY",
      "_UPDATED_AT",
      "_SET_COLUMNS"
    from
      "WRITEBACK"."ACCOUNT_CATEGORY"
    where
      "_SCENARIO" = 'base'
      and not "_DELETED"
  ) as "O" on "O"."ACCOUNT_ID" = "B"."ID"
