# English words of the console: audit pages. Ids are shared with zh-CN/audit.ftl.
