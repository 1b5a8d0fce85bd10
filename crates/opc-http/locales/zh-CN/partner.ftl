# 控制台的简体中文：partner 页面。消息 id 与 en-US/partner.ftl 一一对应。
