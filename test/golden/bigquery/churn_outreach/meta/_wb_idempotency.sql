create table if not exists `writeback`.`_wb_idempotency` (
  `request_id` STRING not null,
  `table_name` STRING not null,
  `payload_hash` STRING not null,
  `user_name` STRING not null,
  `result` STRING not null,
  `created_at` TIMESTAMP not null,
  primary key (`request_id`) not enforced
)
partition by
  date(`created_at`)
cluster by
  `request_id`;
