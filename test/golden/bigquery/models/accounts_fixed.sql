select
  `b`.* replace(
    case
      when strpos(`o`.`_set_columns`, '|category|') > 0 then `o`.`category`
      else `b`.`category`
    end as `category`,
    case
      when strpos(`o`.`_set_columns`, '|region|') > 0 then `o`.`region`
      else `b`.`region`
    end as `region`
  ),
  nullif(
    rtrim(
      case
        when strpos(`o`.`_set_columns`, '|category|') > 0 then 'category,'
        else ''
      end || case
        when strpos(`o`.`_set_columns`, '|region|') > 0 then 'region,'
        else ''
      end,
      ','
    ),
    ''
  ) as `_overridden`
from
  `crm`.`accounts` as `b`
  left join (
    select
      `account_id`,
      `category`,
      `region`,
      `_version`,
      `_updated_by`,
      `_updated_at`,
      `_set_columns`
    from
      `writeback`.`account_fix`
    where
      `_scenario` = 'base'
      and not `_deleted`
  ) as `o` on `o`.`account_id` = `b`.`id`
