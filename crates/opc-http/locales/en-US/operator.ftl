# English words of the console: operator pages. Ids are shared with zh-CN/operator.ftl.
