select
  "B".* replace(
    case
      when contains("O"."_SET_COLUMNS", '|category|') then "O"."CATEGORY"
      else "B"."CATEGORY"
    end as "CATEGORY",
    case
      when contains("O"."_SET_COLUMNS", '|brand|') then "O"."BRAND"
      else "B"."BRAND"
    end as "BRAND"
  ),
  nullif(
    rtrim(
      case
        when contains("O"."_SET_COLUMNS", '|category|') then 'category,'
        else ''
      end || case
        when contains("O"."_SET_COLUMNS", '|brand|') then 'brand,'
        else ''
      end,
      ','
    ),
    ''
  ) as "_OVERRIDDEN"
from
  "CATALOG"."PRODUCTS" as "B"
  left join (
    select
      "PRODUCT_ID",
      "CATEGORY",
      "BRAND",
      "_VERSION",
      "_UPDATED_BY",
      "_UPDATED_AT",
      "_SET_COLUMNS"
    from
      "WRITEBACK"."PRODUCT_FIX"
    where
      "_SCENARIO" = 'base'
      and not "_DELETED"
  ) as "O" on "O"."PRODUCT_ID" = "B"."ID"
