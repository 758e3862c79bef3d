select
  "b"."id",
  "b"."name",
  "b"."category",
  'source' as "_origin"
from
  "crm"."products" as "b"
union all
select
  "i"."id",
  "i"."name",
  "i"."category",
  'input' as "_origin"
from
  (
    select
      "id",
      "name",
      "category",
      "_version",
      "_updated_by",
      "_updated_at"
    from
      "writeback"."manual_products"
    where
      "_scenario" = 'base'
      and not "_deleted"
  ) as "i"
