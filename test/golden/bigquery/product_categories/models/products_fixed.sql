select
  `b`.* replace(
    case
      when strpos(`o`.`_set_columns`, '|category|') > 0 then `o`.`category`
      else `b`.`category`
    end as `category`,
    case
      when strpos(`o`.`_set_columns`, '|brand|') > 0 then `o`.`brand`
      else `b`.`brand`
    end as `brand`
  ),
  nullif(
    rtrim(
      case
        when strpos(`o`.`_set_columns`, '|category|') > 0 then 'category,'
        else ''
      end || case
        when strpos(`o`.`_set_columns`, '|brand|') > 0 then 'brand,'
        else ''
      end,
      ','
    ),
    ''
  ) as `_overridden`
from
  `catalog`.`products` as `b`
  left join (
    select
      `product_id`,
      `category`,
      `brand`,
      `_version`,
      `_updated_by`,
      `_updated_at`,
      `_set_columns`
    from
      `writeback`.`product_fix`
    where
      `_scenario` = 'base'
      and not `_deleted`
  ) as `o` on `o`.`product_id` = `b`.`id`
