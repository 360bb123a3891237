/**
 * Word pools for plausible demo names, modelled on the schools and streets named in the Zhuzhou
 * and Guiyang reports (泰山学校, 栗树山小学, 八达小学, 界首中心小学, 流长中学 …).
 */
import type { Random } from './random.ts';

/** Splits a whitespace-separated pool, so long lists stay compact and diff-friendly. */
function words(text: string): readonly string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

/** Neutral words any Chinese city names schools after. */
export const COMMON_STEMS = words(`
  泰山 建设 红旗 向阳 育红 长江 黄河 明德 新华 解放 东风 光明 胜利
  和平 幸福 太阳 星光 桂花 白鹤 凤凰 南山 北岭 樟树 荷花 七一 五一
  曙光 朝阳 育才 启明 金山 银河 龙泉 青云 芙蓉 翠湖 嵩山 庐山 华山
  衡山 珠江 文化路 人民路 实验
`);

interface LocalStems {
  /** streets and neighbourhoods of the city proper */
  urban: readonly string[];
  /** townships of its counties */
  towns: readonly string[];
}

/** Place words of each city, by city adcode, so a Guiyang county never gets a Hunan township. */
export const LOCAL_STEMS: Record<string, LocalStems> = {
  '430200': {
    urban: words(`
      栗树山 八达 湘江 枫溪 清水塘 建宁 钟鼓岭 董家塅 贺家土 响石岭 合泰
      栗雨 马家河 群丰 雷打石 三门 白石 天台 滨江 车站路 银海 泰山路
    `),
    towns: words(`
      城关 界首 八团 桃坑 黄丰桥 皇图岭 网岭 鸾山 丫江桥 酒埠江 桃水 严塘
      腰潞 火田 秩堂 马江 虎踞 湖口 沔渡 十都 策源 霞阳 鹿原 船形 浦口
      王仙 白兔潭 泗汾 孙家湾 嘉树 东富 枫林 官庄 南阳桥 龙家巷 古岳峰
    `),
  },
  '520100': {
    urban: words(`
      甲秀 观风台 中华路 省府路 黔灵 金阳 会展城 世纪城 水口寺 油榨街
      花果园 宝山 东山 北京路 新天 小河 贵钢 三桥 头桥 大营坡 野鸭
    `),
    towns: words(`
      城关 流长 永靖 小寨坝 石硐 西山 鹿窝 九庄 温泉 羊场 龙岗 双流 禾丰
      卫城 站街 红枫湖 新店 麦格 犁倭 暗流 扎佐 久长 六广 谷堡 南江 冯三
      花梨 楠木渡 青山 金中 六屯 大石 新堡 百宜 王庄 新场 养龙司 九溪
    `),
  },
};

/** Words that private kindergartens and training businesses like to use. */
export const BRAND_STEMS = words(`
  启航 博学 精英 优才 睿思 新思维 求知 明师 卓越 智慧树 七彩 小天鹅
  星空 翰墨 童乐 金话筒 弘毅 乐学 金色摇篮 贝贝 博雅 蓝天 小太阳 彩虹
  童心 新起点 百灵鸟 英才 学思 知行 书香 好学 阳光 未来星 小橡树 晨曦
  青苗 海燕 星辰 追梦 墨香 天籁 飞鹰 跃龙 致远 格致
`);

/** Subject tutoring names (学科类): what the 双减 policy reduces. */
export const SUBJECT_INSTITUTION_KINDS = [
  '教育培训学校',
  '文化培训学校',
  '英语培训学校',
  '学科辅导中心',
  '数理培训学校',
  '作文培训中心',
] as const;

/** Non-subject names (非学科类): arts, sports, technology. */
export const NON_SUBJECT_INSTITUTION_KINDS = [
  '艺术培训中心',
  '舞蹈培训中心',
  '美术培训学校',
  '体育培训中心',
  '跆拳道培训中心',
  '编程培训中心',
  '书法培训中心',
  '音乐艺术学校',
  '围棋培训中心',
  '口才培训中心',
] as const;

/** Common surnames, most frequent first (weights roughly follow national frequency). */
const SURNAMES = [
  ...'李王张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯邓曹彭曾肖田董袁潘蒋蔡余杜叶谭廖汤戴贺龙赖易文',
];

/** Given-name characters by the gender they usually read as, so a name never mixes the two. */
const GIVEN_MALE = [...'建华明国平文志军伟勇强杰涛斌波辉刚健磊湘兵峰俊亮宏海林春'];
const GIVEN_FEMALE = [...'芳丽敏静燕霞红英洁琳颖慧婷雪萍梅兰玲晓艳云秋娟'];

/** A personal name: surname plus one or two given characters, skewed towards frequent surnames. */
export function personName(random: Random): string {
  // Squaring a uniform value favours the front of the list, as real surname frequency does.
  const surname = SURNAMES[Math.floor(random.float() ** 2 * SURNAMES.length)] ?? '李';
  const given = random.chance(0.5) ? GIVEN_MALE : GIVEN_FEMALE;
  const first = random.pick(given);
  return random.chance(0.7) ? `${surname}${first}${random.pick(given)}` : `${surname}${first}`;
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;

/** 1..99 in Chinese numerals as school numbers are written: 第二, 第十八, 第二十一. */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new Error(`chineseNumber: ${n} out of 1..99`);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  const tensPart = tens === 0 ? '' : tens === 1 ? '十' : `${DIGITS[tens]}十`;
  return `${tensPart}${ones === 0 ? '' : DIGITS[ones]}`;
}
