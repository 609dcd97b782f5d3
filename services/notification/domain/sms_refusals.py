"""What an SMS platform's refusal means, in words for the delivery log and the people reading it. Pure.

The platform's own message is never kept: it may repeat the number or the text. Only its code is."""

import re

SAFE_CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")

# Alibaba Cloud SMS (SendSms) codes, as its documentation lists them.
ALIYUN_CODES = {
    "SignatureDoesNotMatch": "签名校验失败，请核对 AccessKey Secret",
    "IncompleteSignature": "签名不完整",
    "InvalidAccessKeyId.NotFound": "AccessKey ID 不存在",
    "InvalidAccessKeyId.Inactive": "AccessKey 已停用",
    "SignatureNonceUsed": "请求随机数重复",
    "InvalidTimeStamp.Expired": "请求时间与平台时间相差过大",
    "isp.RAM_PERMISSION_DENY": "该 AccessKey 无发送短信的权限",
    "isv.MOBILE_NUMBER_ILLEGAL": "手机号码格式不对",
    "isv.BUSINESS_LIMIT_CONTROL": "超过平台的发送频率限制",
    "isv.AMOUNT_NOT_ENOUGH": "短信账户余额不足",
    "isv.OUT_OF_SERVICE": "短信业务已停机",
    "isv.SMS_SIGNATURE_ILLEGAL": "短信签名不可用",
    "isv.SMS_SIGN_ILLEGAL": "短信签名不可用",
    "isv.SMS_TEMPLATE_ILLEGAL": "短信模板不可用",
    "isv.TEMPLATE_MISSING_PARAMETERS": "短信模板缺少变量",
    "isv.TEMPLATE_PARAMS_ILLEGAL": "短信模板变量不合规定",
    "isv.INVALID_PARAMETERS": "请求参数有误",
    "isp.SYSTEM_ERROR": "短信平台内部错误",
}


def refusal_in_words(code: object) -> str:
    """The delivery log's reason for a refusal: its words, and the code to look up."""
    shown = code if isinstance(code, str) and SAFE_CODE.match(code) else "unknown"
    return f"短信平台拒绝发送：{ALIYUN_CODES.get(shown, '原因见平台代码')}（{shown}）"
