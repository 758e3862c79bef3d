select
  coalesce(nullif(trim(p.category), ''), '(uncategorized)') as category,
  c.description as category_description,
  count(*) as products,
  count(distinct p.brand) as brands,
  min(p.list_price) as min_price,
  max(p.list_price) as max_price
from
  "MERCH"."PRODUCT_CATALOG" p
  left join "CATALOG"."CATEGORIES" c on c.name = p.category
group by
  coalesce(nullif(trim(p.category), ''), '(uncategorized)'),
  c.description
