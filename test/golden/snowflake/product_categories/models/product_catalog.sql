select
  "B"."ID",
  "B"."NAME",
  "B"."CATEGORY",
  "B"."BRAND",
  "B"."LIST_PRICE",
  'source' as "_ORIGIN"
from
  "MERCH"."PRODUCTS_FIXED" as "B"
union all
select
  "I"."ID",
  "I"."NAME",
  "I"."CATEGORY",
  "I"."BRAND",
  "I"."LIST_PRICE",
  'input' as "_ORIGIN"
from
  (
    select
      "ID",
      "NAME",
      "CATEGORY",
      "BRAND",
      "LIST_PRICE",
      "_VERSION",
      "_UPDATED_BY",
      "_UPDATED_AT"
    from
      "WRITEBACK"."MANUAL_PRODUCTS"
    where
      "_SCENARIO" = 'base'
      and not "_DELETED"
  ) as "I"
