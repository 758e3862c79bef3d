create table if not exists `writeback`.`_wb_webhook_calls` (
  `call_id` STRING not null,
  `table_name` STRING not null,
  `action` STRING not null,
  `url` STRING not null,
  `user_name` STRING not null,
  `entry_ids` STRING not null,
  `status` STRING not null,
  `attempts` INT64 not null,
  `http_status` INT64,
  `error` STRING,
  `created_at` TIMESTAMP not null,
  `finished_at` TIMESTAMP not null,
  primary key (`call_id`) not enforced
);
