select
  "B"."ID",
  "B"."NAME",
  "B"."CATEGORY",
  'source' as "_ORIGIN"
from
  "CRM"."PRODUCTS" as "B"
union all
select
  "I"."ID",
  "I"."NAME",
  "I"."CATEGORY",
  'input' as "_ORIGIN"
from
  (
    select
      "ID",
      "NAME",
      "CATEGORY",
      "_VERSION",
      "_UPDATED_BY",
      "_UPDATED_AT"
    from
      "WRITEBACK"."MANUAL_PRODUCTS"
    where
      "_SCENARIO" = 'base'
      and not "_DELETED"
  ) as "I"
