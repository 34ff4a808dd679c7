/* SPDX-License-Identifier: MIT */
/* Copyright (c) 2026 the neardup authors */
/*
 * Word lists and sentence templates for ndgen, Chinese and English.  All of
 * it was written for this generator.  A template is plain text with slots
 * (%N noun, %X noun + suffix, %M modifier, %V verb, %A adverb, %S subject,
 * %L people, %E campaign, %T time, %B problem, %W method, %Z statistic,
 * %U unit, %R result, %Q quality, %C connective, %w modal, %D department,
 * %O place +
 * department, %P place, %K scope, %G goal clause, %H heading, %Y year,
 * %n count, %m amount, %p percentage).  The lists are long and the fixed
 * text between slots is short, so that two unrelated sentences rarely agree
 * on 12 characters in a row: shared text should come from planted reuse.
 * Only ndgen.c includes this file.
 */
#ifndef NDGEN_VOCAB_H
#define NDGEN_VOCAB_H

/* ---- Chinese ---------------------------------------------------------- */

static const char *const zh_noun[] = {
    "基层治理", "乡村振兴", "营商环境", "安全生产", "生态保护", "科技创新",
    "数字经济", "民生保障", "公共服务", "产业链", "项目建设", "招商引资",
    "城市更新", "社区服务", "医疗卫生", "义务教育", "职业教育", "养老服务",
    "托育服务", "就业创业", "防汛抗旱", "森林防火", "耕地保护", "粮食安全",
    "水资源管理", "大气污染防治", "河湖治理", "土壤修复", "交通网络",
    "现代物流", "能源保供", "电网改造", "金融风险", "地方债务", "财政收支",
    "税源培育", "预算绩效", "国有资产", "审计整改", "干部队伍", "人才引进",
    "作风建设", "纪律教育", "廉政风险", "信访接待", "矛盾纠纷化解",
    "法治政府", "行政审批", "政务服务", "数据共享", "信息化平台", "应急处置",
    "消防安全", "食品安全", "药品监管", "市场秩序", "质量标准", "品牌培育",
    "文化旅游", "全民健身", "文物保护", "非遗传承", "住房保障", "物业管理",
    "老旧小区改造", "人居环境", "垃圾分类", "污水处理", "绿色转型",
    "节能降碳", "新能源", "先进制造", "园区建设", "对外开放", "外贸出口",
    "口岸通关", "民营经济", "中小企业", "个体工商户", "农民增收", "集体经济",
    "高标准农田", "种业发展", "农产品加工", "冷链物流", "电子商务", "县域经济",
    "特色小镇", "城乡融合", "区域协调", "对口协作", "流域治理", "水土保持",
    "地质灾害防治", "道路交通安全", "校园安全", "网络安全", "数据安全",
    "舆情引导", "宣传工作", "精神文明", "志愿服务", "诚信体系", "社会救助",
    "残疾人保障", "妇女儿童权益", "退役军人服务", "民族团结", "统计监测",
    "档案管理", "保密工作", "机关运行", "公务接待", "政府采购", "工程招投标",
    "国土空间规划", "城市规划", "建筑市场", "房地产市场", "城市供热",
    "燃气安全", "城市排水", "海绵城市", "智慧城市", "数字政府", "基本医保",
    "医疗救助", "公立医院", "基层医疗", "疾病预防", "健康管理", "中医药",
    "学前教育", "高中教育", "师资队伍", "校企合作", "技能培训", "劳动关系",
    "工资支付", "社会保险", "住房公积金", "成果转化", "研发投入",
    "高新技术企业", "专精特新", "数字化改造", "工业互联网", "招才引智",
    "信用监管", "执法监督", "行政复议", "普法宣传", "公共法律服务",
    "社区矫正", "禁毒工作", "反诈宣传", "平安建设", "网格化管理", "乡风文明",
    "移风易俗", "村级组织", "驻村帮扶", "防返贫监测", "易地搬迁", "产业帮扶",
    "消费帮扶", "林长制", "河长制", "湿地保护", "生物多样性", "农村公路",
    "客运班线", "航道建设", "铁路建设", "水库除险", "灌区改造", "农村供水",
    "污水管网", "固体废物", "危险化学品", "尾矿库", "矿山安全", "特种设备",
    "电梯安全", "快递物流", "商贸流通", "夜间经济", "会展经济", "总部经济",
    "楼宇经济", "开发区", "跨境电商", "外资利用", "重大项目", "专项债券",
    "政府投资", "社会资本", "融资平台", "普惠金融", "农村金融", "融资担保",
    "企业上市", "土地供应", "闲置资产", "征地拆迁", "不动产登记", "户籍管理",
    "流动人口", "社区养老", "居家养老", "困难群众", "留守儿童", "青少年成长",
    "家庭教育", "课后服务", "校外培训", "体育产业", "文创产业", "乡村旅游",
    "全域旅游", "景区管理", "历史街区", "传统村落", "农机装备", "畜牧养殖",
    "渔业资源", "林下经济", "茶产业", "果蔬种植", "农资供应", "动物防疫",
    "植物检疫", "农村改厕", "村庄规划", "宅基地管理", "农村产权", "土地流转",
    "合作社发展", "家庭农场", "电力供应", "天然气保供", "充电设施", "光伏发电",
    "储能项目", "氢能产业", "新材料", "生物医药", "装备制造", "汽车零部件",
    "电子信息", "纺织服装", "食品加工", "建材产业", "物流枢纽", "港口建设",
    "口岸经济", "航空物流", "数据中心", "算力设施", "人工智能", "软件服务",
    "创新平台", "孵化载体", "科技金融", "知识产权", "标准化建设", "计量检测",
    "认证认可", "价格监管", "广告监管", "网络交易", "直播电商", "平台经济",
    "劳动就业", "高校毕业生", "农民工返乡", "技能人才", "乡土人才",
    "基层干部", "年轻干部", "离退休干部", "机关党建", "党务公开", "政务公开",
    "巡察整改", "督查检查", "绩效考核", "容错纠错", "干部激励", "减负松绑",
};

static const char *const zh_suffix[] = {
    "体系", "机制", "能力", "水平", "质量", "格局", "环境", "短板", "基础",
    "工作", "任务", "成效", "措施", "政策", "项目", "平台", "网络", "服务",
    "队伍", "责任", "制度", "标准", "底线", "效能", "布局", "链条", "清单",
    "台账", "举措", "保障", "规划", "试点", "阵地", "窗口", "示范区", "专班",
};

static const char *const zh_mod[] = {
    "高质量", "全方位", "多层次", "系统化", "精细化", "规范化", "常态化", "长效",
    "重点", "关键", "基础性", "综合性", "前瞻性", "实质性", "可持续", "现代化",
    "标准化", "智能化", "协同", "联动", "一体化", "差异化", "特色", "优质",
    "便捷", "高效", "稳定", "安全", "绿色", "集约", "开放", "包容", "普惠",
    "均衡", "精准", "科学", "务实", "有力", "扎实", "全链条", "全周期",
    "全覆盖", "多元", "立体化", "数字化", "专业化", "法治化", "市场化", "便民",
    "惠企", "兜底", "源头", "闭环", "动态", "长远", "基本", "核心", "新型",
    "区域性", "全域", "全流程", "分级分类", "网格化", "项目化", "清单式",
    "嵌入式", "组团式", "片区化", "智慧", "低碳", "循环", "韧性", "适度",
    "规模化", "品牌化", "集群化", "链式", "共享", "联合", "跨区域", "跨部门",
    "一站式", "全天候", "标准统一", "权责清晰", "运转高效", "上下贯通",
    "务实管用", "群众满意", "企业认可", "基层欢迎", "可复制", "可推广",
};

static const char *const zh_verb[] = {
    "推进", "推动", "加强", "完善", "健全", "深化", "落实", "强化", "提升",
    "优化", "拓展", "巩固", "统筹", "协调", "保障", "夯实", "构建", "打造",
    "培育", "壮大", "规范", "整治", "防范", "化解", "破解", "聚焦", "抓好",
    "做实", "守牢", "压实", "理顺", "盘活", "激发", "释放", "带动", "引导",
    "支持", "扶持", "建立", "探索", "创新", "改进", "加快", "扩大", "稳定",
    "增强", "突出", "狠抓", "紧盯", "谋划", "部署", "实施", "开展", "组织",
    "督促", "指导", "检查", "考核", "评估", "监测", "排查", "梳理", "研判",
    "调度", "跟踪", "对接", "衔接", "整合", "共享", "补齐", "筑牢", "织密",
    "用好", "管好", "建好", "抓实", "提速", "升级", "改造", "畅通", "延伸",
    "覆盖", "联通", "激活", "撬动", "引进", "储备", "申报", "把握", "厘清",
    "明确", "细化", "量化", "固化", "推广", "复制", "总结", "提炼", "宣传",
    "动员", "保护", "修复", "治理", "管控", "核查", "清理", "处置", "纠正",
    "查处", "约谈", "问责", "协同", "配套", "对标", "提标", "扩容", "提质",
    "挖潜", "赋能", "护航", "兜牢", "压减", "精简", "下沉", "前移", "贯通",
};

static const char *const zh_adv[] = {
    "进一步", "切实", "持续", "全面", "大力", "扎实", "着力", "积极", "稳步",
    "不断", "加快", "坚决", "认真", "努力", "有序", "深入", "主动", "及时",
    "严格", "全力", "尽快", "统筹", "协同", "依法", "逐步", "集中", "广泛",
    "始终", "牢牢", "务必", "更加", "精准", "高标准", "分类", "分步", "系统",
    "从严", "从细", "从实", "同步", "优先", "重点", "滚动", "靠前", "一体",
};

static const char *const zh_subj[] = {
    "我们", "各级各部门", "全市上下", "各单位", "我局", "各乡镇", "各县区",
    "各牵头部门", "相关部门", "各级领导干部", "班子成员", "机关各科室",
    "全系统", "各街道社区", "各园区", "党员干部", "各工作专班", "我们县",
    "各责任单位", "各行业主管部门", "基层站所", "派驻机构", "各分管领导",
};

static const char *const zh_people[] = {
    "群众", "企业", "干部", "基层", "农民", "青年", "老年人", "学生", "职工",
    "村民", "居民", "游客", "投资者", "经营主体", "困难家庭", "外来务工人员",
    "新就业群体", "个体户", "专业人才", "志愿者", "患者", "租户", "返乡人员",
};

static const char *const zh_event[] = {
    "专项行动", "集中整治", "示范创建", "大排查", "百日攻坚", "质量提升行动",
    "作风建设年活动", "大走访", "结对帮扶", "技能比武", "安全月活动",
    "巡回督导", "观摩评比", "“回头看”", "专项检查", "联合执法", "集中宣传周",
    "清零行动", "暖企行动", "护航行动", "蓝天行动", "净水行动", "擂台比拼",
    "春季攻势", "夏季会战", "秋冬百日行动", "双月调度", "季度点评",
};

static const char *const zh_when[] = {
    "今年以来", "上半年", "一季度", "近年来", "过去一年", "近三年",
    "“十四五”以来", "去年", "前三季度", "近期", "这段时间", "年初以来",
    "前两个月", "汛期以来", "春节以后", "过去五年", "截至目前", "入秋以来",
};

static const char *const zh_problem[] = {
    "短板", "弱项", "瓶颈", "堵点", "难点", "风险隐患", "薄弱环节", "突出问题",
    "深层次矛盾", "历史遗留问题", "不平衡问题", "不规范现象", "推诿扯皮",
    "落实不到位", "重复建设", "监管盲区", "服务断点", "数据壁垒", "资金缺口",
    "人手不足", "标准不一", "衔接不畅", "进度滞后", "质量不高",
};

static const char *const zh_way[] = {
    "机制", "办法", "路径", "模式", "举措", "方案", "制度", "流程", "标准",
    "规则", "抓手", "载体", "工作法", "责任链",
};

static const char *const zh_stat[] = {
    "地区生产总值", "固定资产投资", "一般公共预算收入", "社会消费品零售总额",
    "规上工业增加值", "进出口总额", "实际利用外资", "城镇新增就业",
    "居民人均可支配收入", "农村居民人均收入", "粮食总产量", "旅游综合收入",
    "新登记经营主体", "研发经费投入", "税收收入", "民生支出", "重点项目投资",
    "技改投资", "服务业增加值", "金融机构存款余额",
};

static const char *const zh_unit[] = {
    "个", "家", "项", "所", "处", "户", "人", "人次", "公里", "亩", "座",
    "条", "批", "件", "次", "套", "台",
};

static const char *const zh_result[] = {
    "取得实效", "落到实处", "见到成效", "走在前列", "稳中有进", "提质增效",
    "行稳致远", "落地见效", "取得突破", "有序推进", "全面达标", "持续向好",
};

static const char *const zh_quality[] = {
    "水平", "能力", "效能", "质量", "效率", "成效", "活力", "竞争力",
    "满意度", "保障能力", "治理能力", "服务水平", "承载力", "吸引力",
};

static const char *const zh_conn[] = {
    "同时", "此外", "与此同时", "在此基础上", "下一步", "另外", "特别是",
    "总的来看", "从实际情况看", "客观地讲", "需要指出的是", "具体来说",
    "对此", "为此", "一方面", "另一方面", "从长远看", "眼下",
};

static const char *const zh_dept[] = {
    "发展改革委", "财政局", "教育局", "科技局", "工信局", "公安局", "民政局",
    "司法局", "人社局", "自然资源局", "生态环境局", "住建局", "交通运输局",
    "水利局", "农业农村局", "商务局", "文旅局", "卫健委", "退役军人事务局",
    "应急管理局", "审计局", "市场监管局", "统计局", "医保局", "林业局",
    "体育局", "信访局", "城管局", "数据局", "供销社", "粮食和物资储备局",
    "税务局", "人防办", "外事办", "金融办", "投资促进局", "行政审批局",
};

static const char *const zh_place1[] = {
    "东", "西", "南", "北", "青", "白", "黄", "金", "龙", "凤", "云", "江",
    "河", "湖", "山", "平", "安", "宁", "永", "长", "新", "兴", "丰", "华",
    "临", "清", "德", "福", "泰", "昌", "宜", "嘉", "桂", "松", "柳", "梅",
    "石", "泉", "和", "瑞",
};

static const char *const zh_place2[] = {
    "阳", "川", "山", "江", "州", "原", "湖", "城", "宁", "泉", "林", "岭",
    "溪", "海", "河", "平", "丰", "安", "乐", "兴", "台", "门", "口", "桥",
    "坪", "水", "源", "塘", "谷", "陵",
};

static const char *const zh_ptype[] = { "市", "县", "区", "镇", "乡", "县" };

static const char *const zh_scope[] = { "市", "县", "区", "镇", "系统" };

static const char *const zh_modal[] = {
    "要", "将", "必须", "需要", "应当", "力争",
};

static const char *const zh_sent[] = {
    "%A%V%M%N，%V%N%X，%G。",
    "%S要%A%V%N，%V%M%N%X，不断提升%N%Q。",
    "围绕%M%N，%V%N%X，%V%N%W，推动%N%R。",
    "%T，%S%V%E，累计%V%N项目%n个，带动投资%m亿元。",
    "%T，%P%Z完成%m亿元，同比增长%p%%。",
    "要把%N作为%M任务，%A%V%N%X，%A%V%N%W。",
    "针对%N中存在的%B，%S%V%N%X，%V%N%W。",
    "%C，%S将%A%V%E，%V%M%N，%V%N%B。",
    "实践表明，只有%V%M%N，才能%V%N%Q。",
    "%N既是%M任务，也是%M%X，%S必须%A%V。",
    "%S要坚持%M导向，%V%N%X，%V%L%B。",
    "在%N方面，%S%V%M%N%W，%V%L参与%N。",
    "全年共%V%N%X%n项，%V%B%n个，%N%Q明显提升。",
    "%S%A%V%N%X，%V%N专项资金%m万元，惠及%L%n万人。",
    "%N%X还不够%M，%N%B依然存在，%L对%N还有期待。",
    "从%P的情况看，%N%V较快，但%N%B还比较突出。",
    "要%A%V%N和%N%W，%V%N%X，%G。",
    "%S要增强%N意识，%V%M%N，做到%N与%N同谋划、同推进。",
    "%C，%V%N%X，把%N%V到%N全过程。",
    "%T，%S共%V%L%n人次，%V%B%n件，办结率达到%p%%。",
    "%A%V%N，%V%N%X，%V%M%N，%G。",
    "%S要%A%V%E，%V%N%B，%V%N%X。",
    "以%N为%M抓手，%V%N%X，%V%N%X。",
    "%S先后%V%N%W%n项，%V%M%N%n个，%N%X%A%V。",
    "%N%X初步形成，%N%Q%A提升，%L%V%N的积极性明显提高。",
    "要在%V%N上%A用力，在%V%N上%A发力，在%V%N上%A聚力。",
    "对%N中的%B，要%A%V，%V%N%W，提高%L%Q。",
    "%S%V%O等部门，%V%N%X，%V%N%B。",
    "%O%V%N%X，%V%E，%N%Q位居%K前列。",
    "%T，%N%V%n%U，%N%V%m万%U，分别增长%p%%和%p%%。",
    "%C，%S要%A%V%N，%A%V%N，%A%V%N。",
    "%V%N不是%M之举，而是%M%N的内在要求。",
    "%S必须清醒看到，%N%X仍有差距，%N%B尚未根本解决。",
    "%V%N%X，关键在%V%N，难点在%V%N，出路在%V%N。",
    "%A%V%M%N%X，%V%N%W，着力%V%N%B。",
    "%S%V%P%N经验，%V%N%X，%V%N%W。",
    "要%V%L需求，%V%M%N，让%L%V%N。",
    "%P%V%N%X的做法值得借鉴，%S要%A%V%N%W。",
    "%V%N%X要%A%V%L，%V%N%B，%G。",
    "%N%X%V%n%U，%V%N%m亿元，%N%Q%A增强。",
    "%S要%A%V%N责任，%V%N%X，%V%N%W，%V%N%B。",
    "%C，各级要%A%V%N，%V%M%N，%V%N%X。",
    "%A%V%N，重点%V%N、%N、%N等领域%B。",
    "这些%B如不%A%V，将影响%N%X。",
    "要%A%V%E成果，%V%N%W，%V%N%X。",
    "%T，%P%V%M%N%n个，新增%N%n%U。",
    "%N%X、%N%X%V%M，%L%Q%A提升。",
    "%S将%V%N%W，%A%V%N%X，%G。",
    "%V%N%X，%S要%V%L%N，%V%M%N。",
    "%N%X一头连着%N，一头连着%L，必须%A%V。",
    "%N%X怎么%V？%S要%A%V%N，%V%M%N。",
    "%T，%S%V%N%X%n次，%V%N%B%n处，%V%N%W%n项。",
    "%S%A%V%D、%D联动%W，%V%N%X。",
    "要%A%V%N%B，%V%M%N%X，%V%N%Q。",
    "%N%X%A%V，%N%X%A%V，%N%Q%V。",
    "%S要%V“%M%N”理念，%V%N%W，%G。",
    "%P%N%X走在%K前列，%P%N%X还需%A%V。",
    "%C，%S将%V%L意见%n条，逐条%V%N%W。",
    "坚持%N和%N两手抓，%V%M%N，%V%N%B。",
    "%S要%A%V%N，既%V%N，又%V%N%X。",
    "%V%M%N%X，是%V%N%Q的%M%W。",
    "%T，%N%X%V%p个百分点，%N%V%m万元。",
    "%S在%N中%V%M%W，%V%L%n户，%V%N%m万元。",
    "%A%V%N%X，%V%N、%N等%M%N，%G。",
};

static const char *const zh_goal[] = {
    "确保%N%R", "为%N提供%M保障", "推动%N%X迈上新台阶",
    "不断增强%L获得感", "形成%M%N格局", "让%L在%N中得到实惠",
    "切实把%N%X%V到位", "实现%N和%N相互促进", "为完成全年%N任务打下基础",
    "把%N优势转化为%N%Q", "助力%N%X%V", "持续释放%N红利",
    "以%N实效检验%E成果", "守住%N底线", "筑牢%N防线", "努力%V%M%N新局面",
    "推动%N%X%V升级", "全面提升%N%Q", "确保%N%X%A%V", "让%N%X更加%M",
};

static const char *const zh_head[] = {
    "%V%M%N，%V%N%X", "聚焦%N，%A%V%N%X", "坚持%M导向，%V%N%X",
    "以%N为抓手，%V%N%X", "%V%B，%V%N%X", "突出%M重点，%V%N%X",
    "着眼%N，%V%M%N", "%A%V%N，提升%L%Q", "在%V%N%X上下功夫",
    "%V%N%X，%V%M%N", "%V%N，%G", "%A%V%E，%V%N%X", "%V%N%X，守牢%N底线",
};

static const char *const zh_intro[] = {
    "今天在%P召开%N会议，主要是%V%T%N工作，%V下一阶段%M任务。",
    "根据%D的安排，下面我就%N%X讲几点意见。",
    "刚才，%D和%D的负责同志作了发言，%V了%N方面的做法。",
    "%T，%S在%N方面%V了%M探索，积累了一些经验。",
    "按照%D的统一部署，我们把%N作为%M任务来抓。",
    "下面，我结合%N%X谈几点认识。",
    "%T，在%O的%M指导下，%S%A%V%N，%N%X取得%M进展。",
    "这次会议在%N%V的关键时期召开，%S要%A%V%N。",
    "%T，我带队到%P%V%N%X，听取了%L的意见建议。",
};

static const char *const zh_closing[] = {
    "%S要以这次会议为契机，%A%V%N，为%V%M%N作出新贡献。",
    "让我们%A%V%N，%V%N%X，奋力开创%N工作新局面。",
    "任务已经明确，%S要%A%V%N，%G。",
    "%S要%A%V%N，%A%V%N%X，以%M成效向%L交出满意答卷。",
    "希望%S%A%V%N，%V%M%N，在%N中展现新作为。",
    "%T的工作时间紧、任务重，%S要%A%V%N%X，%G。",
};

static const char *const zh_closeline[] = {
    "谢谢大家！", "以上发言，请批评指正。", "我就讲这些，谢谢！",
    "不妥之处，敬请指正。", "以上是我的汇报，谢谢。", "我的发言完了。",
};

static const char *const zh_salut[] = {
    "同志们：", "各位领导、同志们：", "各位代表：", "同志们、朋友们：",
};

static const char *const zh_title[] = {
    "在%P%D工作会议上的讲话", "在%Y年%N工作推进会上的讲话",
    "%D主要负责同志在%N专题研讨会上的发言", "关于%M%N工作情况的汇报",
    "在全%K%N现场观摩会上的讲话", "%Y年度%N工作总结及下一步打算",
    "在%E动员会上的讲话", "%N专题学习研讨发言材料",
    "在%P调研%N工作时的讲话", "%D党组书记在%Y年工作务虚会上的发言",
    "%P%N工作情况汇报", "在%N%X建设座谈会上的讲话", "%Y年%P%D工作要点",
    "关于%N%X建设的调研报告", "在%P%N工作调度会上的讲话",
    "在%Y年%D系统%N培训班上的讲话", "%P%D关于%N%X的情况报告",
};

/* Stock formulas: planted as boilerplate in a share of the speeches. */
static const char *const zh_formula[] = {
    ("把稳增长、促改革、调结构、惠民生、防风险统筹起来，一体谋划、一体部署、"
     "一体推进。"),
    ("始终把群众满意作为检验各项工作成效的第一标准，做到事事有回音、"
     "件件有着落。"),
    "牢固树立过紧日子的思想，把有限的财力用在刀刃上、花在紧要处。",
    ("坚持问题导向、目标导向、结果导向，以清单化、项目化、责任化方式"
     "推动工作落地。"),
    "统筹发展和安全，守牢不发生系统性风险、不发生重大安全事故的底线。",
    "心往一处想、劲往一处使，凝聚起干事创业、争先进位的强大合力。",
    "对标先进地区找差距，对照群众期盼补短板，对表年度目标抓进度。",
};

/* Advertising footers appended to a share of the files. */
static const char *const zh_footer[] = {
    ("【声明】本文由“笔耕文苑”整理编辑，仅供学习交流参考。更多讲话稿、汇报"
     "材料、心得体会范文，请搜索公众号“笔耕文苑”，每日更新，会员可一键下载"
     "全部资料，咨询微信：bgwy_demo。"),
    ("——更多精品材料尽在云笺素材馆：新用户注册即送十篇免费下载额度，年度"
     "会员不限次数下载，另承接各类文稿代写、润色、排版业务，联系电话："
     "0000-555 0123（示例号码）。"),
    ("（本材料来源于网络公开资料，版权归原作者所有，如有侵权请联系删除。"
     "关注“墨韵公文助手”，回复关键词即可获取同类范文合集。）"),
};

/* ---- English ---------------------------------------------------------- */

static const char *const en_noun[] = {
    "housing", "public transport", "water supply", "flood defence",
    "primary care", "school meals", "adult skills", "small business",
    "rural roads", "broadband", "waste collection", "recycling",
    "air quality", "river health", "street lighting", "community safety",
    "youth services", "elder care", "childcare", "local tourism",
    "heritage sites", "farm incomes", "food safety", "energy efficiency",
    "solar power", "building standards", "planning approvals",
    "procurement", "budget control", "tax collection", "debt management",
    "audit follow-up", "staff training", "digital services", "data sharing",
    "emergency response", "fire safety", "road safety", "public health",
    "mental health", "job placement", "vocational training", "export growth",
    "investment promotion", "industrial parks", "innovation hubs",
    "research funding", "cultural life", "sports facilities", "libraries",
    "social assistance", "disability support", "veterans' services",
    "land use", "forest protection", "wetland restoration",
    "coastal management", "bus networks", "cycling lanes", "parking",
    "market supervision", "consumer protection", "licensing", "inspections",
    "complaints handling", "dispute resolution", "legal aid",
    "neighbourhood policing", "drug prevention", "fraud prevention",
    "school safety", "teacher recruitment", "hospital capacity",
    "vaccination", "drinking water", "sewage treatment", "soil quality",
    "noise control", "urban renewal", "old estates", "property management",
    "heating supply", "gas safety", "freight logistics", "cold-chain storage",
    "seed breeding", "irrigation", "fisheries", "grain reserves",
    "credit guarantees", "start-up support", "patent services",
    "bridge repair", "rail links", "port access", "airport capacity",
    "hill farming", "orchard yields", "livestock health", "dairy prices",
    "rural clinics", "home care", "hospice care", "dental services",
    "special education", "school transport", "after-school clubs",
    "apprenticeships", "graduate jobs", "migrant workers", "wage arrears",
    "pension payments", "benefit claims", "rent arrears", "social housing",
    "land registration", "building permits", "fire escapes", "lift safety",
    "chemical storage", "mine safety", "dam maintenance", "storm drains",
    "snow clearance", "tree planting", "park upkeep", "river banks",
    "night markets", "trade fairs", "export credit", "customs clearance",
    "e-commerce", "payment systems", "open data", "cyber security",
    "records management", "public archives", "translation services",
    "tenant rights", "product recalls", "price monitoring", "food labels",
};

static const char *const en_suffix[] = {
    "system", "programme", "capacity", "standards", "network", "services",
    "framework", "plan", "budget", "reforms", "targets", "pipeline",
    "partnership", "strategy", "workforce", "oversight", "pilots", "registry",
};

static const char *const en_mod[] = {
    "long-term", "practical", "coordinated", "targeted", "sustainable",
    "affordable", "reliable", "transparent", "modern", "inclusive",
    "resilient", "integrated", "efficient", "accountable", "evidence-based",
    "community-led", "cost-effective", "high-quality", "well-funded",
    "cross-department", "county-wide", "joined-up", "low-carbon", "digital",
    "preventive", "flexible", "fair", "local", "regional", "shared",
    "simpler", "faster", "safer", "greener", "stronger", "clearer",
    "better-run", "user-friendly", "lean", "robust", "visible", "timely",
    "well-staffed", "demand-led", "rules-based", "place-based", "tested",
    "open", "measurable", "balanced", "steady", "bold", "careful",
};

static const char *const en_verb[] = {
    "strengthen", "improve", "expand", "deliver", "upgrade", "simplify",
    "coordinate", "review", "protect", "support", "fund", "monitor",
    "modernise", "streamline", "prioritise", "enforce", "reform", "extend",
    "secure", "stabilise", "accelerate", "renew", "consolidate", "promote",
    "restore", "inspect", "measure", "publish", "train", "recruit",
    "integrate", "replace", "repair", "plan", "evaluate", "reduce", "raise",
    "widen", "build", "open", "map", "audit", "digitise", "pool", "link",
    "test", "trial", "scale up", "roll out", "speed up", "tighten",
    "clean up", "sort out", "pay for", "refit", "rebuild", "redesign",
    "reorganise", "bring forward", "follow up", "join up", "track",
};

static const char *const en_adv[] = {
    "steadily", "urgently", "carefully", "firmly", "actively", "jointly",
    "consistently", "quickly", "fully", "gradually", "systematically",
    "decisively", "visibly", "openly", "rigorously", "patiently",
    "promptly", "properly", "quietly", "boldly", "fairly", "directly",
    "locally", "gradually and safely", "step by step", "at once",
};

static const char *const en_subj[] = {
    "we", "%P", "%P staff", "the %N team", "our %N unit", "%P and %P",
    "the %P council", "the %N office", "the %X group",
};

static const char *const en_people[] = {
    "residents", "families", "small firms", "farmers", "young people",
    "older residents", "students", "workers", "visitors", "investors",
    "tenants", "patients", "commuters", "volunteers", "carers",
};

static const char *const en_event[] = {
    "spring inspections", "the service review", "safety month",
    "outreach week", "the pilot scheme", "joint enforcement",
    "the quality audit", "the skills fair", "home visits", "winter drills",
    "the hundred-day push", "clean streets week",
};

static const char *const en_when[] = {
    "this year", "in the first half", "over the past three years",
    "since January", "last quarter", "in recent months", "so far",
    "over the last twelve months", "since the spring",
};

static const char *const en_problem[] = {
    "bottlenecks", "weak links", "gaps in coverage", "hidden risks",
    "delays", "overlapping rules", "funding shortfalls", "staff shortages",
    "uneven quality", "slow approvals", "duplicated effort", "data silos",
};

static const char *const en_way[] = {
    "mechanism", "approach", "procedure", "model", "checklist", "toolkit",
    "rulebook", "routine", "scorecard",
};

static const char *const en_stat[] = {
    "Total output", "Fixed investment", "General revenue", "Retail sales",
    "Export value", "Household income", "Tourism revenue",
    "Research spending", "Tax revenue", "Social spending",
};

static const char *const en_unit[] = {
    "projects", "sites", "households", "kilometres", "schools", "clinics",
    "enterprises", "villages", "cases", "applications",
};

static const char *const en_result[] = {
    "delivers real results", "stays on track", "reaches every household",
    "meets its targets", "holds up under pressure", "earns public trust",
};

static const char *const en_quality[] = {
    "performance", "capacity", "efficiency", "quality", "responsiveness",
    "coverage", "resilience", "satisfaction",
};

static const char *const en_conn[] = {
    "At the same time", "In addition", "Building on this", "Looking ahead",
    "Equally important", "In practice", "For this reason", "On the ground",
    "Above all", "Meanwhile",
};

static const char *const en_dept[] = {
    "Finance Bureau", "Transport Department", "Education Office",
    "Health Commission", "Housing Authority", "Water Resources Bureau",
    "Agriculture Office", "Commerce Department", "Environment Agency",
    "Emergency Management Office", "Audit Office", "Market Regulation Bureau",
    "Statistics Office", "Civil Affairs Bureau", "Planning Office",
    "Culture and Tourism Bureau",
};

static const char *const en_place1[] = {
    "North", "West", "Green", "Stone", "Silver", "River", "Oak", "Maple",
    "Clear", "Red", "Lake", "High", "Fair", "New", "Port", "East", "Ash",
    "Elm", "Glen", "Hill",
};

static const char *const en_place2[] = {
    "field", "ford", "ton", "bury", "dale", "wick", "brook", "haven",
    "ridge", "vale", "mouth", "stead", "more", "gate", "port", "wood",
};

static const char *const en_ptype[] = {
    " County", " District", "", " City", " Township",
};

static const char *const en_scope[] = { "county", "district", "city" };

static const char *const en_modal[] = {
    "will", "must", "should", "can", "plans to", "aims to", "needs to",
    "is set to", "wants to", "hopes to", "is to", "may", "ought to",
    "means to",
};

static const char *const en_sent[] = {
    "%S %w %V %M %N %X and %V %N %X, %G.",
    "%T, %S %V %n %U of %N and put %m million into %N %X.",
    "%Z reached %m billion, up %p percent on %Y.",
    "To %V %N, %S %w %V %M %N %X and %V %N %X.",
    "%C, %S %w %V %E in %P.",
    "%N %X in %P still faces %M %N %B.",
    "%S %w %V the %N %W for %M %N %X.",
    "Our aim is to %V %M %N %X and to %V %N %B.",
    "%N and %N %w move in step with %M %N.",
    "Where %N %X is weak, %S %w %A %V it and %V %N %W.",
    "%S %w put %L first in %N %X and %V %M %N.",
    "%C, %S %w %A %V %N and %V %N %X, %G.",
    "%P has shown what %M %N %X can achieve, and %S %w %V its %W.",
    "%E %w %V %N %X and %V %N %B.",
    "Spending on %N rose to %m million, covering %n %U.",
    "%S cannot accept %N %B, so %S %w %A %V the %N %W.",
    "%N %X needs %M owners and %M %N funds.",
    "%S %w %V %N %X, %V %M %N and %V %L %Q.",
    "Next, %S %w %A %V %E, %V %N %X and %V %N %B.",
    "By %Y, %S %w %V %N %Q by %p percent.",
    "%L told us that %N %X matters most, and %S %w %V it %A.",
    "%S %w add %n %U to the %N %X, with %n more planned.",
    "%P shows that %M %N %X pays off.",
    "%C, %S %w %V the %N %W and %V %N %X.",
    "We owe %L %M %N, and %S %w %A %V it.",
    "%M %N %X in %P %w %V %N %B.",
    "%S %w %V %M %N in %P before %V %N %X.",
};

static const char *const en_goal[] = {
    "so that %N %X %R", "to give %L %M %N", "and raise %N %Q",
    "so that %L see %M %N %X", "to keep %N %X on a %M footing",
};

static const char *const en_head[] = {
    "%V %M %N %X", "Put %N first and %V %N %X", "%V %B in %N",
    "%V %N %X for %L", "Make %N %X more %M", "%V %N and %V %N %X",
};

static const char *const en_intro[] = {
    "%N %X is the first item today.",
    "Let me raise %n points on %N %X.",
    "%T, %S has made %M progress on %N, and %S %w %V it.",
    "%P reported on %N %X, and I thank its staff.",
    "I visited %P to hear about %N %X.",
};

static const char *const en_closing[] = {
    "Let us %A %V %N %X and %V %M %N.",
    "%S now needs %M delivery on %N.",
    "I ask %S to %A %V %N and report back on %N %X.",
};

static const char *const en_closeline[] = {
    "Thank you.", "Thank you all.", "Questions are welcome.",
};

static const char *const en_salut[] = {
    "Colleagues,", "Friends,", "Good morning,", "Everyone,",
    "Good afternoon,",
};

static const char *const en_title[] = {
    "Remarks on %N %X, %Y", "Speech to the %P council on %N %X",
    "Report on %M %N in %P", "Address on %N %X to %P",
    "Notes on %E in %P", "Review of %N %X, %Y", "Briefing on %N %X for %P",
};

static const char *const en_formula[] = {
    ("We remain committed to putting residents first and to judging every "
     "programme by the difference it makes on the ground."),
    ("Growth, reform, public services and risk control have to be planned "
     "together, funded together and delivered together."),
};

static const char *const en_footer[] = {
    ("Shared by the Speechwriters' Archive. Members download reports, "
     "remarks and briefing templates without limit; write to "
     "archive-help@example.org to join."),
};

#endif /* NDGEN_VOCAB_H */
