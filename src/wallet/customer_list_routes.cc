// Custom lists (自定义人群包) over HTTP: marketing ops make a named list of customers from a CSV
// of phones (the console sends it in parts), and campaigns target it
// (eligibility.customer_list; marketing/customer_lists.h).
//
//   GET    /api/v1/staff/customer-lists               every list, with the campaigns using it
//   POST   /api/v1/staff/customer-lists               {"name": "..."}: a new empty list (201)
//   POST   /api/v1/staff/customer-lists/{id}/members  {"phones": [...]}: adds those customers
//   POST   /api/v1/staff/customer-lists/{id}/removals {"phones": [...]}: takes them out
//   DELETE /api/v1/staff/customer-lists/{id}          refused while a live campaign targets it
//
// The members themselves are never listed back: the engine answers with counts, and the rows
// that named no customer are the caller's own input.
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/state_machine.h"
#include "server/log.h"
#include "wallet/handler_util.h"
#include "wallet/json_fields.h"
#include "wallet/marketing_internal.h"
#include "wallet/money_internal.h"
#include "wallet/staff_access.h"
#include "wallet/wallet_internal.h"

namespace qb::wallet {
namespace {

using api::ErrorCode;
using api::ErrorResponse;
using engine::CustomerListOp;
using engine::MarketingResult;

constexpr size_t kMaxListNameChars = 32;

HttpResponse ListNotFound() {
  return ErrorResponse(api::ApiError{404, "CUSTOMER_LIST_NOT_FOUND", "no such custom list"});
}

struct ListCopy {
  marketing::CustomerList list;
  std::vector<uint64_t> campaign_ids;  // campaigns not ended that target it
};

std::vector<ListCopy> CopyLists(const engine::StateMachine& state) {
  std::vector<ListCopy> copies;
  for (const marketing::CustomerList& list : state.campaigns().customer_lists().lists()) {
    copies.push_back(ListCopy{list, {}});
  }
  for (const marketing::CampaignState& c : state.campaigns().campaigns()) {
    if (c.campaign.eligibility.customer_list == 0 ||
        c.campaign.status == marketing::CampaignStatus::kEnded) {
      continue;
    }
    for (ListCopy& copy : copies) {
      if (copy.list.id == c.campaign.eligibility.customer_list) {
        copy.campaign_ids.push_back(c.campaign.id);
      }
    }
  }
  return copies;
}

api::JsonObjectWriter ListJson(const ListCopy& copy) {
  api::JsonArrayWriter campaigns;
  for (const uint64_t id : copy.campaign_ids) campaigns.String(std::to_string(id));
  api::JsonObjectWriter json;
  json.String("id", std::to_string(copy.list.id))
      .String("name", copy.list.name)
      .Int("members", copy.list.members)
      .String("created_at", Rfc3339(copy.list.created_s * kNsPerSecond))
      .String("updated_at", Rfc3339(copy.list.updated_s * kNsPerSecond))
      .Array("campaign_ids", std::move(campaigns));
  return json;
}

void ListLists(WalletContext& context, const Responder& respond) {
  ReadEngine<std::vector<ListCopy>>(context, respond, CopyLists,
                                    [respond](std::vector<ListCopy> copies) {
                                      api::JsonArrayWriter lists;
                                      for (const ListCopy& copy : copies) {
                                        lists.Object(ListJson(copy));
                                      }
                                      api::JsonObjectWriter body;
                                      body.Array("lists", std::move(lists));
                                      respond(api::JsonResponse(200, body));
                                    });
}

void AnswerList(WalletContext& context, uint32_t list_id, int status, const Responder& respond) {
  ReadEngine<std::optional<ListCopy>>(
      context, respond,
      [list_id](const engine::StateMachine& state) -> std::optional<ListCopy> {
        for (ListCopy& copy : CopyLists(state)) {
          if (copy.list.id == list_id) return std::move(copy);
        }
        return std::nullopt;
      },
      [status, respond](std::optional<ListCopy> copy) {
        if (!copy) return respond(ListNotFound());
        respond(api::JsonResponse(status, ListJson(*copy)));
      });
}

HttpResponse ListFailure(MarketingResult result, const engine::Reply& reply) {
  if (result == MarketingResult::kRefused && reply.text == "CUSTOMER_LIST_NOT_FOUND") {
    return ListNotFound();
  }
  return MarketingFailure(result, reply);
}

void Submit(WalletContext& context, engine::EditCustomerList command, const Responder& respond,
            std::function<void(const engine::Reply&)> then) {
  SubmitCommand(context, std::move(command), respond,
                [respond, then = std::move(then)](uint8_t code, const engine::Reply& reply) {
                  const auto result = static_cast<MarketingResult>(code);
                  if (result != MarketingResult::kOk) return respond(ListFailure(result, reply));
                  then(reply);
                });
}

void CreateList(WalletContext& context, const Principal& staff, HttpRequest&& request,
                Responder respond) {
  if (!IsJson(request, respond)) return;
  api::ApiResult<boost::json::object> root = ParseRoot(request.body);
  if (!root.ok()) return respond(ErrorResponse(root.error()));
  std::optional<api::ApiError> error;
  Fields f(root.value(), "", &error);
  std::optional<std::string> name = f.String("name", true, kMaxListNameChars);
  if (name && name->empty()) f.Fail(ErrorCode::kFieldInvalid, "name", "at least one character");
  f.Finish();
  if (error) return respond(ErrorResponse(*error));
  engine::EditCustomerList command{staff.id, CustomerListOp::kCreate, 0, std::move(*name), {}};
  Submit(context, std::move(command), respond,
         [&context, respond, staff_id = staff.id](const engine::Reply& reply) {
           LogInfo("custom list created", {{"list_id", std::to_string(reply.value)},
                                           {"by_staff_id", std::to_string(staff_id)}});
           AnswerList(context, static_cast<uint32_t>(reply.value), 201, respond);
         });
}

// Adds (or removes) the customers the phones name. The phones are resolved and the list
// checked in one engine read; the customers then go in commands of at most
// kMaxCustomerListEditPerCommand each (kMaxListedPhones is below it: one command).
void EditMembers(WalletContext& context, const Principal& staff, uint32_t list_id, bool add,
                 HttpRequest&& request, Responder respond) {
  if (!IsJson(request, respond)) return;
  api::ApiResult<std::vector<std::string>> phones = ParsePhones(request.body);
  if (!phones.ok()) return respond(ErrorResponse(phones.error()));
  static_assert(kMaxListedPhones <= engine::kMaxCustomerListEditPerCommand);
  struct Found {
    bool list_found = false;
    ResolvedPhones phones;
  };
  ReadEngine<Found>(
      context, respond,
      [list_id, given = std::move(phones).value()](const engine::StateMachine& state) {
        return Found{state.campaigns().customer_lists().Find(list_id) != nullptr,
                     ResolvePhones(state, given)};
      },
      [&context, staff_id = staff.id, list_id, add, respond](Found found) {
        if (!found.list_found) return respond(ListNotFound());
        auto answer = [respond, add, list = found.phones](int64_t changed) {
          api::JsonArrayWriter not_found;
          for (const std::string& phone : list.not_found) not_found.String(phone);
          api::JsonArrayWriter invalid;
          for (const std::string& phone : list.invalid) invalid.String(phone);
          const auto named = static_cast<int64_t>(list.customers.size());
          api::JsonObjectWriter body;
          body.Int(add ? "added" : "removed", changed)
              .Int(add ? "already" : "not_member", named - changed)
              .Array("not_found", std::move(not_found))
              .Array("invalid", std::move(invalid))
              .Int("duplicates", list.duplicates);
          respond(api::JsonResponse(200, body));
        };
        if (found.phones.customers.empty()) return answer(0);
        engine::EditCustomerList command{staff_id,
                                         add ? CustomerListOp::kAdd : CustomerListOp::kRemove,
                                         list_id, "", found.phones.customers};
        Submit(context, std::move(command), respond,
               [answer, list_id, add](const engine::Reply& reply) {
                 LogInfo(add ? "custom list members added" : "custom list members removed",
                         {{"list_id", std::to_string(list_id)},
                          {"changed", std::to_string(reply.value)}});
                 answer(static_cast<int64_t>(reply.value));
               });
      });
}

void DeleteList(WalletContext& context, const Principal& staff, uint32_t list_id,
                Responder respond) {
  Submit(context, engine::EditCustomerList{staff.id, CustomerListOp::kDelete, list_id, "", {}},
         respond, [respond, list_id](const engine::Reply&) {
           LogInfo("custom list deleted", {{"list_id", std::to_string(list_id)}});
           HttpResponse response;
           response.status = 204;
           respond(std::move(response));
         });
}

// The {id} of a list: a decimal id that fits the engine's 32 bits.
std::optional<uint32_t> ListId(const HttpRequest& request) {
  const std::optional<uint64_t> id = ParseId(request.PathParam("id"));
  if (!id || *id == 0 || *id > std::numeric_limits<uint32_t>::max()) return std::nullopt;
  return static_cast<uint32_t>(*id);
}

}  // namespace

void AddCustomerListRoutes(Router& router, WalletContext& context) {
  WalletContext* shared = &context;
  AddStaffRoute(router, context, "GET", "/api/v1/staff/customer-lists",
                [shared](const Principal&, HttpRequest&&, Responder respond) {
                  ListLists(*shared, respond);
                });
  AddStaffRoute(router, context, "POST", "/api/v1/staff/customer-lists",
                [shared](const Principal& staff, HttpRequest&& request, Responder respond) {
                  CreateList(*shared, staff, std::move(request), std::move(respond));
                });
  for (const bool add : {true, false}) {
    AddStaffRoute(router, context, "POST",
                  add ? "/api/v1/staff/customer-lists/{id}/members"
                      : "/api/v1/staff/customer-lists/{id}/removals",
                  [shared, add](const Principal& staff, HttpRequest&& request, Responder respond) {
                    const std::optional<uint32_t> id = ListId(request);
                    if (!id) return respond(ListNotFound());
                    EditMembers(*shared, staff, *id, add, std::move(request), std::move(respond));
                  });
  }
  AddStaffRoute(router, context, "DELETE", "/api/v1/staff/customer-lists/{id}",
                [shared](const Principal& staff, HttpRequest&& request, Responder respond) {
                  const std::optional<uint32_t> id = ListId(request);
                  if (!id) return respond(ListNotFound());
                  DeleteList(*shared, staff, *id, std::move(respond));
                });
}

}  // namespace qb::wallet
