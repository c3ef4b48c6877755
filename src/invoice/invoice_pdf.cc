#include "invoice/invoice_pdf.h"

#include <hpdf.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

#include "invoice/amount_words.h"
#include "invoice/text_internal.h"

namespace qb::invoice {
namespace {

// Page geometry in points (1/72 inch), origin at the bottom left of an A5 landscape page
// (595 x 420). The invoice frame spans kLeft..kRight; rows are given by their y bounds.
constexpr HPDF_REAL kLeft = 30;
constexpr HPDF_REAL kRight = 565;
constexpr HPDF_REAL kMiddle = 297.5;
constexpr HPDF_REAL kFrameTop = 355;
constexpr HPDF_REAL kPartiesBottom = 275;
constexpr HPDF_REAL kHeaderBottom = 257;
constexpr HPDF_REAL kItemsBottom = 175;
constexpr HPDF_REAL kTotalBottom = 140;
constexpr HPDF_REAL kFrameBottom = 70;
// Item table columns: name | amount excluding tax | rate | tax.
constexpr HPDF_REAL kAmountColumn = 265;
constexpr HPDF_REAL kRateColumn = 365;
constexpr HPDF_REAL kTaxColumn = 445;
constexpr HPDF_REAL kPadding = 6;

constexpr HPDF_REAL kBodySize = 9;
constexpr HPDF_REAL kMinWrappedSize = 5;
constexpr size_t kMaxWrappedLines = 3;

// Collects the first libharu error; libharu calls this instead of throwing or aborting, and
// every later call on the same document fails too, so checking once per step is enough.
struct HaruErrors {
  HPDF_STATUS error_no = HPDF_OK;
  HPDF_STATUS detail_no = HPDF_OK;
};

void OnHaruError(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data) {
  auto* errors = static_cast<HaruErrors*>(user_data);
  if (errors->error_no != HPDF_OK) return;
  errors->error_no = error_no;
  errors->detail_no = detail_no;
}

struct DocFree {
  void operator()(HPDF_Doc doc) const { HPDF_Free(doc); }
};
using DocPtr = std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocFree>;

Status HaruStatus(const HaruErrors& errors) {
  char code[16];
  std::snprintf(code, sizeof(code), "%04X", static_cast<unsigned>(errors.error_no));
  return Status::IoError("pdf: libharu error 0x" + std::string(code) + ", detail " +
                         std::to_string(errors.detail_no));
}

// The printed texts that are not request fields, in UTF-8. Every text drawn converts to GBK:
// ValidateInvoiceRequest checked the names, the ids are ASCII, and the rest is our own.
struct PrintedTexts {
  std::string date;
  std::string amount_excl_tax;
  std::string tax_rate;
  std::string tax;
  std::string total_capitals;
  std::string total_figures;
};

// "6%", "1.5%", "13%".
std::string FormatRate(uint32_t tax_rate_bp) {
  std::string out = std::to_string(tax_rate_bp / 100);
  const uint32_t hundredths = tax_rate_bp % 100;
  if (hundredths != 0) {
    out += '.';
    out += static_cast<char>('0' + hundredths / 10);
    if (hundredths % 10 != 0) out += static_cast<char>('0' + hundredths % 10);
  }
  return out + "%";
}

Status CheckInvoice(const InvoiceDocument& doc) {
  if (Status status = ValidateInvoiceRequest(doc.request); !status.ok()) return status;
  const std::optional<TaxSplit> split = SplitTax(doc.request.amount_fen, doc.request.tax_rate_bp);
  if (!split || split->tax_fen != doc.tax_fen ||
      split->amount_excl_tax_fen != doc.amount_excl_tax_fen) {
    return Status::InvalidArgument("tax_fen: does not match amount and rate");
  }
  if (doc.number.size() != kInvoiceNumberLength ||
      !std::all_of(doc.number.begin(), doc.number.end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return Status::InvalidArgument("number: not 20 digits");
  }
  return Status::Ok();
}

Status PrepareTexts(const InvoiceDocument& doc, PrintedTexts* texts) {
  const InvoiceRequest& r = doc.request;
  const CivilDate date = ChinaDate(r.issued_ns);
  const std::optional<std::string> capitals = ChineseCapitalAmount(r.amount_fen);
  if (!capitals) return Status::InvalidArgument("amount_fen: out of range");
  texts->date = std::to_string(date.year) + "年" + std::to_string(date.month) + "月" +
                std::to_string(date.day) + "日";
  // A red-letter invoice reverses its amounts, so it prints them negative (负数).
  const std::string sign = r.red_letter() ? "-" : "";
  texts->amount_excl_tax = sign + FormatFenFigures(doc.amount_excl_tax_fen);
  texts->tax_rate = FormatRate(r.tax_rate_bp);
  texts->tax = sign + FormatFenFigures(doc.tax_fen);
  texts->total_capitals = (r.red_letter() ? "（负数）" : "") + *capitals;
  texts->total_figures = sign + FormatFenFigures(r.amount_fen);
  return Status::Ok();
}

// Draws UTF-8 text on one page: runs of ASCII in Helvetica, everything else in SimSun through
// GBK. (SimSun's own Latin glyphs come out of text extraction as fullwidth forms, so an
// invoice number copied from the PDF would not match.) Calls after a libharu error do nothing
// harmful: libharu refuses them and the error stays recorded in HaruErrors.
class PageWriter {
 public:
  PageWriter(HPDF_Page page, HPDF_Font latin, HPDF_Font cjk)
      : page_(page), latin_(latin), cjk_(cjk) {}

  void Text(HPDF_REAL x, HPDF_REAL y, HPDF_REAL size, std::string_view utf8) {
    for (const Run& run : Runs(utf8)) {
      HPDF_Page_SetFontAndSize(page_, run.font, size);
      HPDF_Page_BeginText(page_);
      HPDF_Page_TextOut(page_, x, y, run.bytes.c_str());
      HPDF_Page_EndText(page_);
      x += HPDF_Page_TextWidth(page_, run.bytes.c_str());
    }
  }
  void TextRight(HPDF_REAL right, HPDF_REAL y, HPDF_REAL size, std::string_view utf8) {
    Text(right - Width(size, utf8), y, size, utf8);
  }
  void TextCentered(HPDF_REAL center, HPDF_REAL y, HPDF_REAL size, std::string_view utf8) {
    Text(center - Width(size, utf8) / 2, y, size, utf8);
  }
  // Wraps `utf8` at code points into at most kMaxWrappedLines lines of `width`, shrinking the
  // font from kBodySize until it fits; the first line's baseline is `top`. The request limits
  // keep every accepted name within three lines at kMinWrappedSize.
  void Wrapped(HPDF_REAL x, HPDF_REAL top, HPDF_REAL width, std::string_view utf8) {
    std::vector<std::string> lines;
    HPDF_REAL size = kBodySize;
    for (; size >= kMinWrappedSize; size -= 1) {
      lines = WrapLines(size, width, utf8);
      if (lines.size() <= kMaxWrappedLines) break;
    }
    size = std::max(size, kMinWrappedSize);
    for (size_t i = 0; i < lines.size() && i < kMaxWrappedLines; ++i) {
      Text(x, top - static_cast<HPDF_REAL>(i) * (size + 2), size, lines[i]);
    }
  }
  void Line(HPDF_REAL x1, HPDF_REAL y1, HPDF_REAL x2, HPDF_REAL y2) {
    HPDF_Page_MoveTo(page_, x1, y1);
    HPDF_Page_LineTo(page_, x2, y2);
    HPDF_Page_Stroke(page_);
  }
  HPDF_REAL Width(HPDF_REAL size, std::string_view utf8) {
    HPDF_REAL width = 0;
    for (const Run& run : Runs(utf8)) {
      HPDF_Page_SetFontAndSize(page_, run.font, size);
      width += HPDF_Page_TextWidth(page_, run.bytes.c_str());
    }
    return width;
  }

 private:
  struct Run {
    HPDF_Font font;
    std::string bytes;  // ASCII for latin_, GBK for cjk_
  };

  std::vector<Run> Runs(std::string_view utf8) const {
    std::vector<Run> runs;
    for (size_t start = 0, end = 0; start < utf8.size(); start = end) {
      const bool ascii = static_cast<uint8_t>(utf8[start]) < 0x80;
      while (end < utf8.size() && (static_cast<uint8_t>(utf8[end]) < 0x80) == ascii) ++end;
      const std::string_view piece = utf8.substr(start, end - start);
      std::string gbk;
      // CheckInvoice made every text convertible, so this cannot fail; if it ever did, the
      // run would be left out rather than drawn garbled.
      if (ascii) {
        runs.push_back({latin_, std::string(piece)});
      } else if (Utf8ToGbk("text", piece, &gbk).ok()) {
        runs.push_back({cjk_, std::move(gbk)});
      }
    }
    return runs;
  }

  std::vector<std::string> WrapLines(HPDF_REAL size, HPDF_REAL width, std::string_view utf8) {
    std::vector<std::string> lines(1);
    for (std::string_view piece : SplitCodePoints(utf8)) {
      std::string longer = lines.back() + std::string(piece);
      if (!lines.back().empty() && Width(size, longer) > width) {
        lines.emplace_back(piece);
      } else {
        lines.back() = std::move(longer);
      }
    }
    return lines;
  }

  HPDF_Page page_;
  HPDF_Font latin_;
  HPDF_Font cjk_;
};

void DrawFrame(PageWriter* w) {
  for (HPDF_REAL y :
       {kFrameTop, kPartiesBottom, kHeaderBottom, kItemsBottom, kTotalBottom, kFrameBottom}) {
    w->Line(kLeft, y, kRight, y);
  }
  w->Line(kLeft, kFrameTop, kLeft, kFrameBottom);
  w->Line(kRight, kFrameTop, kRight, kFrameBottom);
  w->Line(kMiddle, kFrameTop, kMiddle, kPartiesBottom);
  for (HPDF_REAL x : {kAmountColumn, kRateColumn, kTaxColumn}) {
    w->Line(x, kPartiesBottom, x, kHeaderBottom);
  }
}

void DrawHeader(PageWriter* w, const InvoiceDocument& doc, const PrintedTexts& t) {
  w->TextCentered((kLeft + kRight) / 2, 375, 16, "电子发票（普通发票）");
  w->Line(230, 369, 365, 369);
  w->Line(230, 367, 365, 367);
  if (doc.request.red_letter()) {
    w->TextCentered((kLeft + kRight) / 2, 358, kBodySize, "红字发票 red-letter");
    w->Text(kLeft, 395, kBodySize, "对应蓝字发票号码：" + doc.request.original_number);
  }
  w->Text(400, 395, kBodySize, "发票号码：" + doc.number);
  w->Text(400, 381, kBodySize, "开票日期：" + t.date);
}

void DrawParty(PageWriter* w, HPDF_REAL left, std::string_view heading, std::string_view name,
               std::string_view tax_id) {
  const HPDF_REAL x = left + kPadding;
  w->Text(x, 341, kBodySize, heading);
  w->Text(x, 325, kBodySize, "名称：");
  const HPDF_REAL name_x = x + w->Width(kBodySize, "名称：");
  const HPDF_REAL right = left + (kMiddle - kLeft) - kPadding;  // both halves are equally wide
  w->Wrapped(name_x, 325, right - name_x, name);
  w->Text(x, 283, 8, "统一社会信用代码/纳税人识别号：" + std::string(tax_id));
}

void DrawItems(PageWriter* w, const InvoiceDocument& doc, const PrintedTexts& t) {
  const HPDF_REAL header_y = kHeaderBottom + 6;
  w->TextCentered((kLeft + kAmountColumn) / 2, header_y, kBodySize, "项目名称");
  w->TextCentered((kAmountColumn + kRateColumn) / 2, header_y, kBodySize, "金额");
  w->TextCentered((kRateColumn + kTaxColumn) / 2, header_y, kBodySize, "税率/征收率");
  w->TextCentered((kTaxColumn + kRight) / 2, header_y, kBodySize, "税额");
  const HPDF_REAL row_y = kHeaderBottom - 16;
  w->Wrapped(kLeft + kPadding, row_y, kAmountColumn - kLeft - 2 * kPadding, doc.request.item_name);
  w->TextRight(kRateColumn - kPadding, row_y, kBodySize, t.amount_excl_tax);
  w->TextCentered((kRateColumn + kTaxColumn) / 2, row_y, kBodySize, t.tax_rate);
  w->TextRight(kRight - kPadding, row_y, kBodySize, t.tax);
  // The fullwidth yen sign here and below: GBK has no U+00A5.
  const HPDF_REAL total_y = kItemsBottom + 8;
  w->TextCentered((kLeft + kAmountColumn) / 2, total_y, kBodySize, "合计");
  w->TextRight(kRateColumn - kPadding, total_y, kBodySize, "￥" + t.amount_excl_tax);
  w->TextRight(kRight - kPadding, total_y, kBodySize, "￥" + t.tax);
}

void DrawTotalAndNotes(PageWriter* w, const InvoiceDocument& doc, const PrintedTexts& t) {
  const HPDF_REAL total_y = kTotalBottom + 14;
  w->Text(kLeft + kPadding, total_y, kBodySize, "价税合计（大写）");
  w->Text(kLeft + 100, total_y, 10, t.total_capitals);
  w->Text(400, total_y, kBodySize, "（小写）￥" + t.total_figures);
  const HPDF_REAL note_x = kLeft + 40;
  w->Text(kLeft + kPadding, kTotalBottom - 18, kBodySize, "备注");
  w->Text(note_x, kTotalBottom - 18, kBodySize, "支付单号：" + doc.request.payment_id);
  HPDF_REAL next_note_y = kTotalBottom - 34;
  if (doc.request.red_letter()) {
    w->Text(note_x, next_note_y, kBodySize,
            "被红冲蓝字数电发票号码：" + doc.request.original_number);
    next_note_y -= 16;
  }
  if (doc.issued_locally) {
    w->Text(note_x, next_note_y, kBodySize, "本发票由钱包本地开票服务开具，非税务机关开具的发票。");
  }
}

// Draws the page and saves the document into `*pdf`.
Status Render(HPDF_Doc doc, const HaruErrors& errors, const InvoiceDocument& invoice,
              const PrintedTexts& texts, std::string* pdf) {
  HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
  HPDF_UseCNSFonts(doc);
  HPDF_UseCNSEncodings(doc);
  // Document info strings are PDFDocEncoding, so they stay ASCII.
  HPDF_SetInfoAttr(doc, HPDF_INFO_TITLE, ("Invoice " + invoice.number).c_str());
  HPDF_SetInfoAttr(doc, HPDF_INFO_CREATOR, "qianbao");
  HPDF_SetInfoAttr(doc, HPDF_INFO_PRODUCER, "qianbao");
  if (errors.error_no != HPDF_OK) return HaruStatus(errors);
  HPDF_Page page = HPDF_AddPage(doc);
  HPDF_Font latin = HPDF_GetFont(doc, "Helvetica", "WinAnsiEncoding");
  HPDF_Font cjk = HPDF_GetFont(doc, "SimSun", "GBK-EUC-H");
  if (page == nullptr || latin == nullptr || cjk == nullptr || errors.error_no != HPDF_OK) {
    return HaruStatus(errors);
  }
  HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A5, HPDF_PAGE_LANDSCAPE);
  HPDF_Page_SetLineWidth(page, 0.8f);

  const InvoiceRequest& r = invoice.request;
  PageWriter writer(page, latin, cjk);
  DrawFrame(&writer);
  DrawHeader(&writer, invoice, texts);
  DrawParty(&writer, kLeft, "购买方信息", r.buyer_title, r.buyer_tax_id);
  DrawParty(&writer, kMiddle, "销售方信息", r.seller_name, r.seller_tax_id);
  DrawItems(&writer, invoice, texts);
  DrawTotalAndNotes(&writer, invoice, texts);
  if (errors.error_no != HPDF_OK) return HaruStatus(errors);

  if (HPDF_SaveToStream(doc) != HPDF_OK) return HaruStatus(errors);
  const HPDF_UINT32 size = HPDF_GetStreamSize(doc);
  std::string bytes(size, '\0');
  // Reading exactly the stream's size succeeds; asking for more reports HPDF_STREAM_EOF
  // through the error handler.
  HPDF_UINT32 read = size;
  if (HPDF_ReadFromStream(doc, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &read) != HPDF_OK ||
      read != size || errors.error_no != HPDF_OK) {
    return HaruStatus(errors);
  }
  *pdf = std::move(bytes);
  return Status::Ok();
}

}  // namespace

Status RenderInvoicePdf(const InvoiceDocument& doc, std::string* pdf) {
  if (Status status = CheckInvoice(doc); !status.ok()) return status;
  PrintedTexts texts;
  if (Status status = PrepareTexts(doc, &texts); !status.ok()) return status;
  HaruErrors errors;
  DocPtr document(HPDF_New(&OnHaruError, &errors));
  if (document == nullptr) return Status::IoError("pdf: libharu could not create a document");
  return Render(document.get(), errors, doc, texts, pdf);
}

}  // namespace qb::invoice
