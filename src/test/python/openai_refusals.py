"""How OpenAI's Python client reports a refusal, for the client checks (openai_*_check.py)."""
import openai


def refused(call):
    """Runs the call; its status, and the param and message of the error object, or status 200 if it was answered."""
    try:
        call()
    except openai.APIStatusError as e:
        body = e.body if isinstance(e.body, dict) else {}
        return {"status": e.status_code, "param": body.get("param"), "message": body.get("message")}
    return {"status": 200}
