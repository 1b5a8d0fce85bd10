# English words of the console: partner pages. Ids are shared with zh-CN/partner.ftl.
