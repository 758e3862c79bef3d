create table if not exists `writeback`.`_wb_chain_heads` (
  `table_name` STRING not null,
  `seq` INT64 not null,
  `head` STRING not null,
  `updated_at` TIMESTAMP not null,
  primary key (`table_name`) not enforced
);
