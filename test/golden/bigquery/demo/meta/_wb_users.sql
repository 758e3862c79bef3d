create table if not exists `writeback`.`_wb_users` (
  `user_name` STRING not null,
  `issuer` STRING not null,
  `subject` STRING not null,
  `display_name` STRING,
  `email` STRING,
  `first_seen_at` TIMESTAMP not null,
  `last_seen_at` TIMESTAMP not null,
  primary key (`user_name`) not enforced
);
