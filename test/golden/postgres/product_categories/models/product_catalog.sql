select
  "b"."id",
  "b"."name",
  "b"."category",
  "b"."brand",
  "b"."list_price",
  'source' as "_origin"
from
  "merch"."products_fixed" as "b"
union all
select
  "i"."id",
  "i"."name",
  "i"."category",
  "i"."brand",
  "i"."list_price",
  'input' as "_origin"
from
  (
    select
      "id",
      "name",
      "category",
      "brand",
      "list_price",
      "_version",
      "_updated_by",
      "_updated_at"
    from
      "writeback"."manual_products"
    where
      "_scenario" = 'base'
      and not "_deleted"
  ) as "i"
